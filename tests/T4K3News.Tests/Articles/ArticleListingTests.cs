using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

public sealed class ArticleListingTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private readonly GraphQLClient client = api.CreateGraphQLClient();

    [Fact]
    public async Task Articles_come_newest_first_ten_to_a_page_with_the_total()
    {
        var data = await client.QueryAsync("{ articles { totalCount nodes { title } pageInfo { hasNextPage hasPreviousPage } } }");

        var page = data["articles"]!;
        Assert.Equal(60, page["totalCount"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(51, 10).Reverse().Select(n => $"Story {n:00}"), page["nodes"].Texts("title"));
        Assert.True(page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.False(page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Following_end_cursors_walks_every_published_article_exactly_once()
    {
        var seen = new List<string?>();
        string? after = null;
        bool hasNext;
        do
        {
            var data = await client.QueryAsync(
                "query ($after: String) { articles(first: 25, after: $after, order: [{ publishedAt: ASC }]) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }",
                new { after });
            var page = data["articles"]!;
            seen.AddRange(page["edges"]!.AsArray().Select(e => e!["node"]!["title"].Text()));
            hasNext = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>();
            after = page["pageInfo"]!["endCursor"].Text();
        }
        while (hasNext);

        Assert.Equal(Enumerable.Range(1, 60).Select(n => $"Story {n:00}"), seen);
    }

    [Fact]
    public async Task Last_and_before_page_backwards()
    {
        var data = await client.QueryAsync("{ articles(last: 3, order: [{ title: ASC }]) { nodes { title } pageInfo { hasNextPage hasPreviousPage startCursor } } }");
        var tail = data["articles"]!;
        Assert.Equal(["Story 58", "Story 59", "Story 60"], tail["nodes"].Texts("title"));
        Assert.False(tail["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(tail["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());

        var before = await client.QueryAsync(
            "query ($before: String) { articles(last: 2, before: $before, order: [{ title: ASC }]) { nodes { title } pageInfo { hasNextPage } } }",
            new { before = tail["pageInfo"]!["startCursor"].Text() });
        Assert.Equal(["Story 56", "Story 57"], before["articles"]!["nodes"].Texts("title"));
        Assert.True(before["articles"]!["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task First_with_before_has_a_next_page_only_when_rows_remain_before_the_cursor()
    {
        const string query = "query ($after: String, $before: String, $first: Int) { articles(first: $first, after: $after, before: $before, order: [{ title: ASC }]) { nodes { title } pageInfo { hasNextPage hasPreviousPage } } }";
        var cursors = (await client.QueryAsync("{ articles(first: 10, order: [{ title: ASC }]) { edges { cursor } } }"))["articles"]!["edges"]!.AsArray()
            .Select(e => e!["cursor"].Text()).ToList();

        var cutByBefore = (await client.QueryAsync(query, new { after = cursors[0], before = cursors[4], first = 5 }))["articles"]!;
        var cutByFirst = (await client.QueryAsync(query, new { after = cursors[0], before = cursors[9], first = 3 }))["articles"]!;

        Assert.Equal(["Story 02", "Story 03", "Story 04"], cutByBefore["nodes"].Texts("title"));
        Assert.False(cutByBefore["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["Story 02", "Story 03", "Story 04"], cutByFirst["nodes"].Texts("title"));
        Assert.True(cutByFirst["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Last_with_after_has_a_previous_page_only_when_rows_remain_after_the_cursor()
    {
        const string query = "query ($after: String, $before: String, $last: Int) { articles(last: $last, after: $after, before: $before, order: [{ title: ASC }]) { nodes { title } pageInfo { hasNextPage hasPreviousPage } } }";
        var cursors = (await client.QueryAsync("{ articles(first: 10, order: [{ title: ASC }]) { edges { cursor } } }"))["articles"]!["edges"]!.AsArray()
            .Select(e => e!["cursor"].Text()).ToList();

        var cutByAfter = (await client.QueryAsync(query, new { after = cursors[0], before = cursors[4], last = 5 }))["articles"]!;
        var cutByLast = (await client.QueryAsync(query, new { after = cursors[0], before = cursors[9], last = 3 }))["articles"]!;

        Assert.Equal(["Story 02", "Story 03", "Story 04"], cutByAfter["nodes"].Texts("title"));
        Assert.False(cutByAfter["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        Assert.True(cutByAfter["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["Story 07", "Story 08", "Story 09"], cutByLast["nodes"].Texts("title"));
        Assert.True(cutByLast["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("first: 51", "PAGE_SIZE_TOO_LARGE")]
    [InlineData("last: 500", "PAGE_SIZE_TOO_LARGE")]
    [InlineData("first: -1", "INVALID_PAGING_ARGUMENTS")]
    [InlineData("first: 2, last: 2", "INVALID_PAGING_ARGUMENTS")]
    [InlineData("after: \"not a cursor\"", "INVALID_CURSOR")]
    [InlineData("after: \"MjE0NzQ4MzY0Nw==\"", "INVALID_CURSOR")] // int.MaxValue: once a database error
    [InlineData("after: \"LTE=\"", "INVALID_CURSOR")] // -1
    [InlineData("before: \"OTk5OTk5OTk5OTk5OTk5OTk5OTk5\"", "INVALID_CURSOR")] // beyond any integer
    [InlineData("after: \"\"", "INVALID_CURSOR")]
    public async Task Paging_arguments_out_of_bounds_are_refused_with_a_code(string arguments, string code)
    {
        var response = await client.PostAsync($"{{ articles({arguments}) {{ nodes {{ title }} }} }}");

        Assert.Equal(code, response.FirstErrorCode);
        Assert.Null(response.Data!["articles"]);
    }

    [Fact]
    public async Task Fifty_is_the_largest_page()
    {
        var data = await client.QueryAsync("{ articles(first: 50) { nodes { slug } } }");

        Assert.Equal(50, data["articles"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Readers_never_see_drafts_or_articles_scheduled_for_later()
    {
        var data = await client.QueryAsync("""
            {
              articles(first: 50, where: { title: { in: ["Unfinished draft", "Scheduled for the next century"] } }) { totalCount }
              draft: article(slug: "unfinished-draft") { title }
              scheduled: article(slug: "scheduled-for-the-next-century") { title }
              story60: article(slug: "story-60") { relatedArticles { slug } }
            }
            """);

        Assert.Equal(0, data["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Null(data["draft"]);
        Assert.Null(data["scheduled"]);
        Assert.Equal(["story-59"], data["story60"]!["relatedArticles"].Texts("slug"));
    }

    [Fact]
    public async Task Where_filters_by_tag_and_combines_conditions()
    {
        var data = await client.QueryAsync("""
            {
              articles(first: 50, order: [{ title: ASC }], where: {
                tags: { some: { slug: { eq: "even" } } }
                or: [{ title: { endsWith: "10" } }, { title: { startsWith: "Story 2" } }]
              }) { nodes { title } }
            }
            """);

        Assert.Equal(["Story 10", "Story 20", "Story 22", "Story 24", "Story 26", "Story 28"], data["articles"]!["nodes"].Texts("title"));
    }

    [Fact]
    public async Task Where_filters_by_publication_time()
    {
        var data = await client.QueryAsync("""
            { articles(order: [{ publishedAt: ASC }], where: { publishedAt: { gte: "2025-02-01T00:00:00Z", lt: "2025-02-04T00:00:00Z" } }) { nodes { title publishedAt } } }
            """);

        Assert.Equal(["Story 32", "Story 33", "Story 34"], data["articles"]!["nodes"].Texts("title"));
        Assert.Equal("2025-02-01T09:00:00Z", data["articles"]!["nodes"]![0]!["publishedAt"].Text());
    }

    [Fact]
    public async Task Where_none_and_ncontains_exclude()
    {
        var data = await client.QueryAsync("""
            { articles(where: { tags: { none: { slug: { eq: "odd" } } }, title: { ncontains: "0" } }) { totalCount } }
            """);

        // 30 even stories, less the ten whose title has a 0: 02 04 06 08 10 20 30 40 50 60
        Assert.Equal(20, data["articles"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_filter_operation_that_needs_a_value_says_so()
    {
        var response = await client.PostAsync("""{ articles(where: { title: { contains: null } }) { totalCount } }""");

        Assert.Equal("INVALID_FILTER", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_page_of_fifty_articles_with_all_their_children_runs_the_same_few_statements_as_a_page_of_two()
    {
        const string query = """
            query ($first: Int) {
              articles(first: $first) {
                totalCount
                nodes {
                  title publication { name } heroImage { altText }
                  takeaways { text } quotes { text speaker context } highlights { text } callouts { title body }
                  tags { slug articleCount }
                  relatedArticles { slug tags { slug } takeaways { text } }
                }
              }
            }
            """;

        api.Statements.Reset();
        var two = await client.QueryAsync(query, new { first = 2 });
        var statementsForTwo = api.Statements.Count;

        api.Statements.Reset();
        var fifty = await client.QueryAsync(query, new { first = 50 });
        var statementsForFifty = api.Statements.Count;

        Assert.Equal(2, two["articles"]!["nodes"]!.AsArray().Count);
        Assert.Equal(50, fifty["articles"]!["nodes"]!.AsArray().Count);
        Assert.Equal(2, fifty["articles"]!["nodes"]![0]!["takeaways"]!.AsArray().Count);
        Assert.Equal(["story-59"], fifty["articles"]!["nodes"]![0]!["relatedArticles"].Texts("slug"));
        // The read engine plans the whole root field into one statement (see Reading/PlannedReadTests for the same
        // query answered by GraphQL.NET's loaders: 7 statements, the same for any page size).
        Assert.Equal(1, statementsForFifty);
        Assert.Equal(statementsForTwo, statementsForFifty);
    }

    [Fact]
    public async Task Concurrent_requests_with_parallel_root_fields_each_get_their_own_database_context()
    {
        const string query = """
            {
              a: articles(first: 5) { nodes { title takeaways { text } } }
              b: articles(first: 5, order: [{ title: ASC }]) { nodes { title tags { slug } } }
              c: article(slug: "story-07") { title quotes { text } }
              d: tags { nodes { slug articleCount } }
            }
            """;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsync(query)));

        Assert.All(responses, r => Assert.Null(r.Errors));
        Assert.All(responses, r => Assert.Equal("Story 07", r.Data!["c"]!["title"].Text()));
    }
}
