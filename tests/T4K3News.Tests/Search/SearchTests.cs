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
    public async Task A_title_match_ranks_above_standfirst_and_takeaways_which_rank_above_body_and_quotes_and_ties_go_newest_first()
    {
        var page = await SearchAsync("lighthouse");

        Assert.Equal(
            [
                "lighthouse-keepers-return-to-the-northern-coast", // title: weight A
                "island-council-meets", // takeaway: B, day 5
                "harbour-budget-approved", // standfirst: B, day 1
                "ferry-timetable-changes-for-the-summer", // body: C, day 4
                "seaside-snacks", // body: C, day 3
                "sailors-remember-the-storm", // quote: C, day 2
            ],
            Slugs(page));
        Assert.Equal([1.0, 0.4, 0.4, 0.2, 0.2, 0.2], page["edges"]!.AsArray().Select(e => e!["node"]!["score"]!.GetValue<double>()));
        Assert.Equal(6, page["totalCount"]!.GetValue<int>());
        Assert.Null(page["suggestion"]);
    }

    [Theory]
    [InlineData("\"northern coast\"", new[] { "lighthouse-keepers-return-to-the-northern-coast" })]
    [InlineData("\"coast northern\"", new string[0])]
    [InlineData("ferry or harbour", new[] { "ferry-timetable-changes-for-the-summer", "harbour-budget-approved" })]
    [InlineData("lighthouse -ferries -council -keepers -sailor", new[] { "harbour-budget-approved", "seaside-snacks" })]
    [InlineData("fish chips", new[] { "seaside-snacks" })]
    [InlineData("Lighthouses", new[] { "lighthouse-keepers-return-to-the-northern-coast", "island-council-meets", "harbour-budget-approved", "ferry-timetable-changes-for-the-summer", "seaside-snacks", "sailors-remember-the-storm" })]
    public async Task Queries_use_web_search_syntax_phrases_or_and_exclusions_with_stemming(string query, string[] slugs)
    {
        var page = await SearchAsync(query);

        Assert.Equal(slugs, Slugs(page));
    }

    [Fact]
    public async Task Snippets_mark_the_matches_and_escape_everything_else()
    {
        var page = await SearchAsync("fish");

        Assert.Equal(["market-prices-fall", "seaside-snacks"], Slugs(page));
        var snippets = page["edges"]!.AsArray().Select(e => e!["node"]!["snippet"].Text()).ToList();
        Assert.Equal("News from the desk on day 8.\n\nBread and <mark>fish</mark> are cheaper this week", snippets[0]);
        Assert.Equal("desk on day 3.\n\nStalls sell &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>fish</mark> and chips by the lighthouse", snippets[1]);
    }

    [Fact]
    public async Task Snippets_never_carry_markup_of_the_text_even_when_the_query_names_it()
    {
        var page = await SearchAsync("chips or script or alert or amp or quot or mark");

        // The escaped text of the one with markup, and a headline of quotes, backslashes and a URL.
        Assert.Equal(2, Slugs(page).Count);
        Assert.StartsWith("its-five-oclock-at-c-docs-tide", Slugs(page)[0]);
        Assert.Equal("seaside-snacks", Slugs(page)[1]);
        foreach (var snippet in page["edges"]!.AsArray().Select(e => e!["node"]!["snippet"].Text()!))
            Assert.DoesNotContain("<", snippet.Replace("<mark>", "").Replace("</mark>", ""));
    }

    [Fact]
    public async Task Tag_facets_count_every_visible_match_not_only_the_page_most_first_then_by_name()
    {
        var page = await SearchAsync("lighthouse", first: 1);

        Assert.Single(page["edges"]!.AsArray());
        Assert.Equal(["coast", "economy", "travel", "food"], page["tagFacets"]!.AsArray().Select(f => f!["tag"]!["slug"].Text()));
        Assert.Equal([3, 2, 2, 1], page["tagFacets"]!.AsArray().Select(f => f!["count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Readers_never_find_drafts_or_scheduled_articles_editors_find_everything()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var asReader = await SearchAsync("lighthouse", first: 50);
        var asEditor = await SearchAsync("lighthouse", first: 50, client: editor);

        Assert.DoesNotContain("lighthouse-draft-with-secret-plans", Slugs(asReader));
        Assert.DoesNotContain("lighthouse-of-the-next-century", Slugs(asReader));
        Assert.Equal(8, asEditor["totalCount"]!.GetValue<int>());
        // Equal ranks: the scheduled one is newest; the draft, never published, comes last among the titles.
        Assert.Equal(["lighthouse-of-the-next-century", "lighthouse-keepers-return-to-the-northern-coast", "lighthouse-draft-with-secret-plans"], Slugs(asEditor).Take(3));
        Assert.Equal(5, asEditor["tagFacets"]![0]!["count"]!.GetValue<int>()); // coast: 3 visible, the draft and the scheduled one
    }

    [Fact]
    public async Task Where_filters_the_matches_like_articles_does()
    {
        var page = await SearchAsync("lighthouse", where: new { tags = new { some = new { slug = new { eq = "coast" } } }, title = new { ncontains = "Sailors" } });

        Assert.Equal(["lighthouse-keepers-return-to-the-northern-coast", "harbour-budget-approved"], Slugs(page));
        Assert.Equal(2, page["totalCount"]!.GetValue<int>());
        Assert.Equal([2, 1, 1], page["tagFacets"]!.AsArray().Select(f => f!["count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Following_end_cursors_walks_every_match_once_in_rank_order()
    {
        var all = Slugs(await SearchAsync("lighthouse", first: 50));
        var seen = new List<string?>();
        string? after = null;
        JsonNode page;
        do
        {
            page = await SearchAsync("lighthouse", first: 4, after: after);
            seen.AddRange(Slugs(page));
            after = page["pageInfo"]!["endCursor"].Text();
            Assert.Equal(6, page["totalCount"]!.GetValue<int>());
        }
        while (page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());

        Assert.Equal(all, seen);
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public async Task Ten_results_by_default_and_a_page_past_the_end_is_empty_with_its_total()
    {
        var data = await reader.QueryAsync("""{ searchArticles(query: "lighthouse", after: "OTk=") { totalCount nodes { score } tagFacets { count } pageInfo { hasNextPage } } }""");

        Assert.Empty(data["searchArticles"]!["nodes"]!.AsArray());
        Assert.Equal(6, data["searchArticles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(4, data["searchArticles"]!["tagFacets"]!.AsArray().Count);
        Assert.False(data["searchArticles"]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("query: \"\"", "SEARCH_QUERY_EMPTY")]
    [InlineData("query: \"  \\t \\n \"", "SEARCH_QUERY_EMPTY")]
    [InlineData("query: \"lighthouse\", first: 51", "PAGE_SIZE_TOO_LARGE")]
    [InlineData("query: \"lighthouse\", first: -1", "INVALID_PAGING_ARGUMENTS")]
    [InlineData("query: \"lighthouse\", after: \"not a cursor\"", "INVALID_CURSOR")]
    [InlineData("query: \"light\\u0000house\"", "INVALID_TEXT")]
    [InlineData("query: \"lighthouse\", where: { title: { contains: null } }", "INVALID_FILTER")]
    [InlineData("query: \"-lighthouse\"", "SEARCH_QUERY_NEGATION_ONLY")]
    [InlineData("query: \"-lighthouse  -fish\"", "SEARCH_QUERY_NEGATION_ONLY")]
    [InlineData("query: \"-\\\"northern coast\\\" or -fish -\"", "SEARCH_QUERY_NEGATION_ONLY")]
    public async Task Bad_searches_are_refused_with_a_code(string arguments, string code)
    {
        var response = await reader.PostAsync($"{{ searchArticles({arguments}) {{ totalCount nodes {{ snippet }} }} }}");

        Assert.Equal(code, response.FirstErrorCode);
        Assert.Null(response.Data?["searchArticles"]);
    }

    [Fact]
    public async Task A_query_longer_than_the_limit_is_refused_and_one_at_the_limit_runs()
    {
        var tooLong = await reader.PostAsync(Search, new { query = new string('a', 201) });
        var atLimit = await reader.PostAsync(Search, new { query = "lighthouse " + new string('a', 189) });

        Assert.Equal("SEARCH_QUERY_TOO_LONG", tooLong.FirstErrorCode);
        Assert.Null(atLimit.Errors);
        Assert.Equal(0, atLimit.Data!["searchArticles"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_match_past_the_text_the_snippet_reads_is_found_and_its_snippet_is_the_opening_without_marks()
    {
        var page = await SearchAsync("zygomorph"); // at the end of a body of 4,800 characters
        var planned = await reader.QueryAsync("""{ searchArticles(query: "zygomorph") { nodes { snippet } } }""");

        Assert.Equal(["long-read-at-quay"], Slugs(page));
        var snippet = page["edges"]![0]!["node"]!["snippet"].Text()!;
        Assert.StartsWith("News from the desk on day 12.\n\nWaves break slowly", snippet);
        Assert.DoesNotContain("<mark>", snippet);
        Assert.Equal(snippet, planned["searchArticles"]!["nodes"]![0]!["snippet"].Text());
        Assert.Contains("<mark>Waves</mark>", (await SearchAsync("waves"))["edges"]![0]!["node"]!["snippet"].Text());
    }

    [Fact]
    public async Task A_query_of_only_stop_words_finds_nothing_without_an_error()
    {
        var response = await reader.PostAsync(Search, new { query = "the and of -" });

        Assert.Null(response.Errors);
        var page = response.Data!["searchArticles"]!;
        Assert.Equal(0, page["totalCount"]!.GetValue<int>());
        Assert.Empty(page["edges"]!.AsArray());
        Assert.Empty(page["tagFacets"]!.AsArray());
        Assert.Null(page["suggestion"]);
    }

    [Fact]
    public async Task A_misspelled_query_that_finds_nothing_suggests_the_nearest_title_words()
    {
        var page = await SearchAsync("lighthuose keepres");

        Assert.Equal(0, page["totalCount"]!.GetValue<int>());
        Assert.Equal("lighthouse keepers", page["suggestion"].Text());
    }

    [Fact]
    public async Task Suggestions_never_reveal_words_only_drafts_have()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        Assert.Null((await SearchAsync("secrat"))["suggestion"]);
        Assert.Equal("secret", (await SearchAsync("secrat", client: editor))["suggestion"].Text());
    }

    [Theory]
    [InlineData("secrat", "secret")] // a draft's title
    [InlineData("centary", "century")] // a scheduled article's title
    [InlineData("zepelin", "zeppelin")] // an archived article's title, published once
    [InlineData("narwal", "narwhal")] // an unpublished article's title, published once
    public async Task Suggestions_replace_only_words_readers_could_find_each_word_checked_on_its_own(string typo, string hidden)
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        // "or" makes the whole suggestion find something visible through its other word.
        var asReader = await SearchAsync($"{typo} or lighthuose");
        var asEditor = await SearchAsync($"{typo} or lighthuose", client: editor);

        Assert.Equal(0, asReader["totalCount"]!.GetValue<int>());
        Assert.Equal($"{typo} or lighthouse", asReader["suggestion"].Text());
        Assert.Equal($"{hidden} or lighthouse", asEditor["suggestion"].Text());
    }

    [Fact]
    public async Task A_search_costs_like_a_connection_of_its_page_size()
    {
        const string deep = """
            query ($n: Int) { searchArticles(query: "lighthouse", first: $n) { nodes { article {
              similarArticles(first: 20) { similarArticles(first: 20) { similarArticles(first: 20) { title } } } } } } }
            """;

        var one = await reader.PostAsync(deep, new { n = 1 });
        var fifty = await reader.PostAsync(deep, new { n = 50 });

        Assert.Null(one.Errors);
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", fifty.FirstErrorCode);
    }

    [Fact]
    public async Task Searching_runs_one_statement_and_the_articles_load_in_one_batch()
    {
        api.Statements.Reset();
        await reader.QueryAsync("""{ searchArticles(query: "lighthouse", first: 20) { totalCount tagFacets { tag { slug } count } nodes { score snippet article { slug title } } } }""");
        var statements = api.Statements.Count;
        api.Statements.Reset();
        await reader.QueryAsync("""{ searchArticles(query: "lighthouse", first: 20) { totalCount nodes { score snippet } } }""");

        // The search (with its total and facets), the articles by id, the facets' tags by id.
        Assert.Equal((3, 1), (statements, api.Statements.Count));
    }
}
