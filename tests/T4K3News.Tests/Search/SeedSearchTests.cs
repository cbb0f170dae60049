using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class SeedSearchTests(ContentApi api) : IClassFixture<ContentApi>
{
    private readonly GraphQLClient reader = api.CreateGraphQLClient();

    [Fact]
    public async Task Imported_seed_articles_are_found_by_their_headline_words()
    {
        var data = await reader.QueryAsync("""{ searchArticles(query: "peace talks Zelenskyy", first: 3) { totalCount nodes { article { slug } snippet } } }""");

        Assert.Equal("zelenskyy-calls-for-new-round-of-peace-talks-with-russia", data["searchArticles"]!["nodes"]![0]!["article"]!["slug"].Text());
        Assert.Contains("<mark>", data["searchArticles"]!["nodes"]![0]!["snippet"].Text());
    }
}
