using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Caching;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class SearchCachingTests(SearchNewsroomApi api) : IClassFixture<SearchNewsroomApi>
{
    private const string Search = """{ searchArticles(query: "lighthouse", first: 20) { totalCount nodes { article { slug } } } }""";
    private const string Similar = """{ article(slug: "lighthouse-keepers-return-to-the-northern-coast") { similarArticles(first: 20) { slug } } }""";

    [Fact]
    public async Task Anonymous_searches_and_similar_articles_are_cached_until_an_article_changes_through_the_write_path()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await Newsroom.AskAsync(api, Search);
        await Newsroom.AskAsync(api, Similar);
        var (cachedSearch, searchStatements) = await Newsroom.AskAsync(api, Search);
        var (_, similarStatements) = await Newsroom.AskAsync(api, Similar);
        Assert.Equal((0, 0), (searchStatements, similarStatements));
        Assert.DoesNotContain("market-prices-fall", cachedSearch!["searchArticles"]!["nodes"]!.AsArray().Select(n => n!["article"]!["slug"].Text()));

        Assert.Equal(3, await TitlesWithAsync("lighthouse")); // the keepers, the draft and the scheduled article
        var (id, version) = await Newsroom.ArticleAsync(editor, "market-prices-fall");
        await Newsroom.MutateAsync(editor, "updateArticle", new { id, expectedVersion = version, title = "Market prices fall at the lighthouse" });

        Assert.Equal((4, 1), (await TitlesWithAsync("lighthouse"), await TitlesWithAsync("market")));

        var (search, _) = await Newsroom.AskAsync(api, Search);
        Assert.Equal(7, search!["searchArticles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("market-prices-fall", search["searchArticles"]!["nodes"]![0]!["article"]!["slug"].Text()); // now a title match
        var (similar, _) = await Newsroom.AskAsync(api, Similar);
        // No tag in common, but "lighthouse" now in its title: first among those sharing no tag.
        Assert.Equal("market-prices-fall", similar!["article"]!["similarArticles"]![3]!["slug"].Text());
    }

    /// <summary>How many titles have the word, as the suggestions' word list counts them.</summary>
    private async Task<int> TitlesWithAsync(string word)
    {
        await using var db = api.CreateDbContext();
        return await db.Database.SqlQuery<int>($"SELECT coalesce((SELECT \"Articles\" FROM \"SearchTitleWords\" WHERE \"Word\" = {word}), 0) AS \"Value\"").SingleAsync();
    }
}
