using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class SearchTests(SearchNewsroomApi api) : IClassFixture<SearchNewsroomApi>
{
    private readonly GraphQLClient reader = api.CreateGraphQLClient();

    private const string Search = """
        query ($query: String!, $first: Int, $after: String, $where: ArticleFilterInput) {
          searchArticles(query: $query, first: $first, after: $after, where: $where) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { score snippet article { slug title } } }
            tagFacets { tag { slug } count }
            suggestion
          }
        }
        """;

    private async Task<JsonNode> SearchAsync(string query, int? first = null, string? after = null, object? where = null, GraphQLClient? client = null) =>
        (await (client ?? reader).QueryAsync(Search, new { query, first, after, where }))["searchArticles"]!;

    private static List<string?> Slugs(JsonNode page) =>
        page["edges"]!.AsArray().Select(e => e!["node"]!["article"]!["slug"].Text()).ToList();

    [Fact]
    public async Task Dump()
    {
        var page = await SearchAsync("lighthouse");
        Console.WriteLine(page.ToJsonString());
        Assert.Fail(page.ToJsonString());
    }
}
