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

    [Fact]
    public async Task A_search_page_asked_again_with_another_query_answers_that_query()
    {
        const string page = "query KeptSearch($q: String!) { searchArticles(query: $q, first: 5) { totalCount nodes { article { slug } score snippet } } }";
        var client = api.CreateGraphQLClient();

        foreach (var text in new[] { "lighthouse", "fish", "lighthouse", "no-such-word-anywhere" })
        {
            var asVariable = await client.PostAsync(page, new { q = text });
            var asLiteral = await client.PostAsync($$"""{ searchArticles(query: "{{text}}", first: 5) { totalCount nodes { article { slug } score snippet } } }""");

            Assert.Null(asVariable.Errors);
            Assert.True(JsonNode.DeepEquals(asLiteral.Body, asVariable.Body), $"{text}: {asVariable.Body.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_search_page_whose_variables_change_its_selection_is_built_for_each_request()
    {
        const string page = "query SearchWithSnippets($q: String!, $snippets: Boolean!) { searchArticles(query: $q) { nodes { score snippet @include(if: $snippets) } } }";
        var client = api.CreateGraphQLClient();

        var with = await client.QueryAsync(page, new { q = "lighthouse", snippets = true });
        var without = await client.QueryAsync(page, new { q = "lighthouse", snippets = false });

        Assert.NotNull(with["searchArticles"]!["nodes"]![0]!["snippet"]);
        Assert.False(without["searchArticles"]!["nodes"]![0]!.AsObject().ContainsKey("snippet"));
    }

    [Theory]
    [InlineData("", "SEARCH_QUERY_EMPTY")]
    [InlineData("   ", "SEARCH_QUERY_EMPTY")]
    [InlineData("-lighthouse", "SEARCH_QUERY_NEGATION_ONLY")]
    public async Task A_repeated_search_page_sent_a_query_the_field_refuses_gets_the_fields_error(string text, string code)
    {
        const string page = "query RefusedSearch($q: String!) { searchArticles(query: $q) { nodes { score } } }";
        var client = api.CreateGraphQLClient();
        await client.QueryAsync(page, new { q = "lighthouse" });
        await client.QueryAsync(page, new { q = "fish" });

        var refused = await client.PostAsync(page, new { q = text });

        Assert.Equal(code, refused.FirstErrorCode);
    }

    [Fact]
    public async Task A_repeated_search_page_sent_a_query_too_long_gets_the_fields_error()
    {
        const string page = "query TooLongSearch($q: String!) { searchArticles(query: $q) { nodes { score } } }";
        var client = api.CreateGraphQLClient();
        await client.QueryAsync(page, new { q = "lighthouse" });
        await client.QueryAsync(page, new { q = "fish" });

        var refused = await client.PostAsync(page, new { q = new string('x', 201) });

        Assert.Equal("SEARCH_QUERY_TOO_LONG", refused.FirstErrorCode);
    }
}
