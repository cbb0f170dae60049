using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

public sealed class SimilarArticlesTests(SearchNewsroomApi api) : IClassFixture<SearchNewsroomApi>
{
    private readonly GraphQLClient reader = api.CreateGraphQLClient();

    private async Task<IReadOnlyList<string?>> SimilarAsync(string slug, string arguments = "", GraphQLClient? client = null)
    {
        var data = await (client ?? reader).QueryAsync($$"""{ article(slug: "{{slug}}") { similarArticles{{arguments}} { slug } } }""");
        return data["article"]!["similarArticles"].Texts("slug");
    }

    [Fact]
    public async Task Similar_articles_share_most_tags_then_most_headline_words_then_are_newest_and_never_the_article_or_its_related_ones()
    {
        var similar = await SimilarAsync("lighthouse-keepers-return-to-the-northern-coast", "(first: 20)");

        Assert.Equal(
            [
                "coast-guard-drill-off-the-cape", // coast and travel, no word of the headline
                "ferry-timetable-changes-for-the-summer", // travel and "lighthouse" in the body, day 4
                "sailors-remember-the-storm", // coast and "lighthouse" in a quote, day 2
                "island-council-meets", // no tag in common, "lighthouse" in a takeaway
                "seaside-snacks", // no tag in common, "lighthouse" in the body
            ],
            similar);
        // Not there: the article itself, its related "harbour-budget-approved", the draft, the scheduled one, and
        // "market-prices-fall", which shares neither a tag nor a word.
    }

    [Fact]
    public async Task Similar_articles_cost_a_ranking_per_article_so_a_page_of_fifty_may_ask_for_them_but_not_nested()
    {
        var once = await reader.PostAsync("{ articles(first: 50) { nodes { slug similarArticles { slug } } } }");
        var nested = await reader.PostAsync("{ articles(first: 50) { nodes { similarArticles(first: 20) { similarArticles(first: 20) { slug } } } } }");

        Assert.Null(once.Errors);
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", nested.FirstErrorCode);
    }

    [Fact]
    public async Task Five_by_default_and_first_takes_fewer()
    {
        const string keepers = "lighthouse-keepers-return-to-the-northern-coast";

        Assert.Equal(5, (await SimilarAsync(keepers)).Count);
        Assert.Equal(["coast-guard-drill-off-the-cape", "ferry-timetable-changes-for-the-summer"], await SimilarAsync(keepers, "(first: 2)"));
        Assert.Empty(await SimilarAsync(keepers, "(first: 0)"));
        // Sharing one tag each and no headline word: newest first.
        Assert.Equal(["island-council-meets", "seaside-snacks", "harbour-budget-approved"], await SimilarAsync("market-prices-fall"));
    }

    [Fact]
    public async Task Editors_get_the_same_published_similar_articles_as_readers()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        Assert.Equal(
            await SimilarAsync("harbour-budget-approved", "(first: 20)"),
            await SimilarAsync("harbour-budget-approved", "(first: 20)", editor));
        Assert.DoesNotContain("lighthouse-draft-with-secret-plans", await SimilarAsync("harbour-budget-approved", "(first: 20)", editor));
    }

    [Fact]
    public async Task A_headline_full_of_quotes_backslashes_and_a_url_is_searched_for_as_words()
    {
        var response = await reader.PostAsync("""{ articles(where: { title: { startsWith: "It's" } }) { nodes { similarArticles { slug } } } }""");

        Assert.Null(response.Errors);
        Assert.Empty(response.Data!["articles"]!["nodes"]![0]!["similarArticles"]!.AsArray());
    }

    [Theory]
    [InlineData("(first: 21)", "PAGE_SIZE_TOO_LARGE")]
    [InlineData("(first: -1)", "INVALID_PAGING_ARGUMENTS")]
    public async Task First_out_of_bounds_is_refused_with_a_code(string arguments, string code)
    {
        var response = await reader.PostAsync($$"""{ article(slug: "seaside-snacks") { similarArticles{{arguments}} { slug } } }""");

        Assert.Equal(code, response.FirstErrorCode);
    }

    [Fact]
    public async Task A_page_of_articles_loads_its_similar_articles_in_one_statement_each_as_it_would_alone()
    {
        const string query = "query ($first: Int) { articles(first: $first) { nodes { slug similarArticles(first: 3) { slug } } } }";

        api.Statements.Reset();
        await reader.QueryAsync(query, new { first = 2 });
        var forTwo = api.Statements.Count;
        api.Statements.Reset();
        var all = await reader.QueryAsync(query, new { first = 8 });
        var forEight = api.Statements.Count;

        Assert.Equal(2, forTwo); // the page, then every article's similar articles at once
        Assert.Equal(forTwo, forEight);
        foreach (var node in all["articles"]!["nodes"]!.AsArray())
            Assert.Equal(await SimilarAsync(node!["slug"].Text()!, "(first: 3)"), node["similarArticles"].Texts("slug"));
    }
}
