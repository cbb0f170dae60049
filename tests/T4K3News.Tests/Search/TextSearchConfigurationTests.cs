using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class TextSearchConfigurationTests(SearchNewsroomApi api) : IClassFixture<SearchNewsroomApi>
{
    private const string Count = "query ($query: String!) { searchArticles(query: $query) { totalCount } }";

    private static async Task<int> TotalAsync(ContentApi instance, string query) =>
        (await instance.CreateGraphQLClient().QueryAsync(Count, new { query }))["searchArticles"]!["totalCount"]!.GetValue<int>();

    [Fact]
    public async Task Another_configuration_re_indexes_every_article_when_the_server_starts_and_an_unknown_one_stops_it()
    {
        Assert.Equal((0, 6), (await TotalAsync(api, "the"), await TotalAsync(api, "lighthouses"))); // english: a stop word; stemmed

        await using (var simple = new AnotherInstance(api, new Dictionary<string, string?> { ["Search:TextSearchConfiguration"] = "simple" }))
        {
            await simple.InitializeAsync();
            // simple: every word counts (all ten visible articles have "the"), none is stemmed.
            Assert.Equal((10, 0), (await TotalAsync(simple, "the"), await TotalAsync(simple, "lighthouses")));
        }

        var unknown = new AnotherInstance(api, new Dictionary<string, string?> { ["Search:TextSearchConfiguration"] = "klingon" });
        var refusal = await Assert.ThrowsAnyAsync<Exception>(unknown.InitializeAsync);
        Assert.Contains("klingon", refusal.ToString());
    }
}
