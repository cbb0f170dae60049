using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class PlannedSearchTests(SearchNewsroomApi api) : IClassFixture<SearchNewsroomApi>
{
    [Theory]
    [InlineData("""{ searchArticles(query: "lighthouse", first: 20) { nodes { article { slug title } score snippet } } }""", 1)]
    [InlineData("""{ s: searchArticles(query: "fish or lighthouse", first: 3, after: "MA==") { n: totalCount __typename nodes { __typename sc: score a: article { __typename slug body kicker } } } }""", 1)]
    [InlineData("""{ searchArticles(query: "lighthouse", where: { tags: { some: { slug: { eq: "coast" } } } }) { totalCount nodes { snippet } } }""", 1)]
    [InlineData("""{ searchArticles(query: "the") { totalCount nodes { score } } }""", 1)]
    [InlineData("""{ searchArticles(query: "lighthouse") { nodes { article { slug tags { slug } } } } }""", 3)]
    [InlineData("""{ searchArticles(query: "lighthouse") { edges { node { score } } pageInfo { hasNextPage } tagFacets { count } } }""", 1)]
    public async Task The_search_page_planned_into_one_statement_answers_what_the_resolvers_answer(string query, int statements)
    {
        await using var unplanned = new AnotherInstance(api, new Dictionary<string, string?> { ["GraphQL:PlannedReads"] = "false" });
        await unplanned.InitializeAsync();
        var editor = await api.CreateTokenAsync(TokenRole.Editor);

        foreach (var token in new[] { null, editor })
        {
            api.Statements.Reset();
            var planned = await api.CreateGraphQLClient(token).PostAsync(query);
            var ran = api.Statements.Count;
            var resolved = await unplanned.CreateGraphQLClient(token).PostAsync(query);

            Assert.Null(planned.Errors);
            Assert.True(JsonNode.DeepEquals(resolved.Body, planned.Body), $"planned: {planned.Body.ToJsonString()}\nresolved: {resolved.Body.ToJsonString()}");
            if (token is null) // an editor's request also looks its token up
                Assert.Equal(statements, ran);
        }
    }
}
