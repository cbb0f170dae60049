using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Reading;

/// <summary>The same newsroom answered by GraphQL.NET's resolvers and loaders, with the read engine switched off.</summary>
public sealed class NewsroomApiWithoutPlannedReads : NewsroomApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:PlannedReads"] = "false", ["GraphQL:ResponseCache"] = "false" };
}

/// <summary>The newsroom with the read engine and without the response cache, so every read runs its statements.</summary>
public sealed class NewsroomApiWithoutResponseCache : NewsroomApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:ResponseCache"] = "false" };
}

/// <summary>
/// Front-end reads are planned into one SQL statement per root field, and answer exactly what GraphQL.NET's own
/// resolvers answer: the same data for readers and editors, whatever the selection, filter, order or page.
/// </summary>
public sealed class PlannedReadTests(NewsroomApiWithoutResponseCache planned, NewsroomApiWithoutPlannedReads resolved)
    : IClassFixture<NewsroomApiWithoutResponseCache>, IClassFixture<NewsroomApiWithoutPlannedReads>
{
    public const string HomePage = "{ articles(first: 20) { nodes { slug title standfirst publishedAt tags { name slug } takeaways { text } } } }";

    public const string ArticlePage = """
        { article(slug: "story-42") { slug title standfirst body analysis publishedAt updatedAt heroImage { altText caption }
          takeaways { text } quotes { text speaker context } highlights { text } tags { name slug } relatedArticles { slug title } } }
        """;

    public const string TagPage = """{ articles(first: 20, where: { tags: { some: { slug: { eq: "even" } } } }) { nodes { slug title publishedAt } } }""";

    public static TheoryData<string> Reads => new()
    {
        HomePage,
        ArticlePage,
        TagPage,
        """{ article(slug: "story-60") { id __typename status version createdAt kicker closingLine bodyHeading callouts { title body __typename } publication { id name __typename } relatedArticles { slug } } }""",
        """{ article(slug: "unfinished-draft") { title } }""",
        """
        { a: article(slug: "story-01") { ...Parts } b: article(slug: "story-02") { ...Parts t: title } __typename }
        fragment Parts on Article { title tags { ... on Tag { id slug name articleCount } } }
        """,
        """{ articles(first: 5, after: "MTA=", order: [{ title: DESC }]) { totalCount __typename edges { cursor __typename node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename } } }""",
        """{ articles(last: 3, before: "MjA=", order: [{ publishedAt: ASC }]) { nodes { title } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }""",
        """{ articles(first: 3, after: "MA==", before: "Mw==") { nodes { title } pageInfo { hasNextPage hasPreviousPage } } }""",
        """{ articles(first: 0) { totalCount nodes { title } pageInfo { hasNextPage startCursor endCursor } } }""",
        """{ articles(first: 50, where: { or: [{ title: { startsWith: "Story 1" } }, { slug: { endsWith: "-5" } }], title: { ncontains: "7" } }) { totalCount nodes { slug } } }""",
        """{ articles(where: { publishedAt: { gte: "2025-02-01T00:00:00Z", nlt: "2025-02-20T00:00:00Z" }, status: { in: [PUBLISHED, DRAFT] } }) { nodes { slug publishedAt } } }""",
        """{ articles(where: { tags: { none: { slug: { in: ["odd"] } }, all: { name: { neq: "Nothing" } }, any: true } }, order: [{ slug: ASC }]) { nodes { slug } } }""",
        """{ articles(where: { tags: { none: { slug: { eq: "odd" } } } }, order: [{ slug: ASC }]) { nodes { slug } } }""",
        """{ articles(where: { tags: { some: { slug: { eq: "no-such-tag" }, name: { neq: "Nothing" } } } }) { totalCount nodes { slug } } }""",
        """{ articles(where: { tags: { none: { slug: { eq: "no-such-tag" } }, all: { slug: { eq: "even" } } } }, order: [{ slug: ASC }]) { nodes { slug } } }""",
        """{ articles(where: { slug: { nin: ["story-60", "story-59"] }, title: { and: [{ contains: "Story" }, { nstartsWith: "Story 5" }] } }) { nodes { slug } } }""",
        """{ articles(where: { publishedAt: { eq: null } }) { totalCount nodes { slug status } } }""",
        """{ articles(where: { createdAt: { in: [] } }) { totalCount nodes { slug } } }""",
        """{ articles(first: 5, where: { createdAt: { nin: [] }, publishedAt: { nin: [null] }, slug: { in: [null, "story-01", "story-02"] } }) { totalCount nodes { slug } } }""",
        """{ articles(where: { publishedAt: { in: [null] }, slug: { nin: [null, "story-01"] } }) { totalCount nodes { slug } } }""",
        """{ tag(slug: "even") { id name slug articleCount __typename } }""",
        """{ tag(slug: "no-such-tag") { name } }""",
        // Another case of a slug is that slug (a redirect for front ends).
        """{ article(slug: "Story-42") { slug title } }""",
        """{ article(slug: "UNFINISHED-DRAFT") { slug } }""",
        """{ tag(slug: "EVEN") { slug name } }""",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_planned_read_answers_exactly_what_the_resolvers_answer_for_readers_and_editors(string query)
    {
        foreach (var role in new TokenRole?[] { null, TokenRole.Editor })
        {
            var client = role is null ? planned.CreateGraphQLClient() : await planned.CreateClientWithRoleAsync(role.Value);
            await client.QueryAsync("{ __typename }"); // the token's first use is looked up and recorded; later ones come from the cache
            planned.Statements.Reset();
            var fromPlan = await client.PostAsync(query);
            var statements = planned.Statements.Count;
            var fromResolvers = await (role is null ? resolved.CreateGraphQLClient() : await resolved.CreateClientWithRoleAsync(role.Value)).PostAsync(query);

            Assert.Null(fromResolvers.Errors);
            Assert.True(JsonNode.DeepEquals(fromResolvers.Body, fromPlan.Body),
                $"As {role?.ToString() ?? "a reader"}:\nplanned:  {fromPlan.Body.ToJsonString()}\nresolved: {fromResolvers.Body.ToJsonString()}");
            // Planned, not answered by the loaders: one statement per root field.
            Assert.Equal(query.Contains("b: article", StringComparison.Ordinal) ? 2 : 1, statements);
        }
    }

    [Theory]
    [InlineData(HomePage)]
    [InlineData(ArticlePage)]
    [InlineData(TagPage)]
    public async Task A_front_page_an_article_page_and_a_tag_page_each_run_one_statement(string page)
    {
        planned.Statements.Reset();
        await planned.CreateGraphQLClient().QueryAsync(page);

        Assert.Equal(1, planned.Statements.Count);
    }

    [Fact]
    public async Task An_article_page_with_its_slug_as_a_variable_runs_one_statement_each_time()
    {
        const string page = """
            query Article($slug: String!) { article(slug: $slug) { slug title standfirst body analysis publishedAt updatedAt
              heroImage { altText caption } takeaways { text } quotes { text speaker context } highlights { text } tags { name slug }
              relatedArticles { slug title } } }
            """;
        foreach (var slug in new[] { "story-41", "story-42", "story-43" })
        {
            planned.Statements.Reset();
            var data = await planned.CreateGraphQLClient().QueryAsync(page, new { slug });

            Assert.Equal(slug, data["article"]!["slug"].Text());
            Assert.Equal(1, planned.Statements.Count);
        }
    }

    [Fact]
    public async Task A_kept_plan_still_shows_a_scheduled_article_once_its_time_has_come()
    {
        const string scheduled = """{ article(slug: "scheduled-for-the-next-century") { title } }""";
        var client = planned.CreateGraphQLClient();
        var before = await client.QueryAsync(scheduled);
        var span = new DateTime(2100, 1, 2, 0, 0, 0, DateTimeKind.Utc) - planned.Clock.GetUtcNow().UtcDateTime;

        planned.Clock.Advance(span);
        try
        {
            planned.Statements.Reset();
            var after = await client.QueryAsync(scheduled);

            Assert.Null(before["article"]);
            Assert.Equal("Scheduled for the next century", after["article"]!["title"].Text());
            Assert.Equal(1, planned.Statements.Count);
        }
        finally
        {
            planned.Clock.Advance(-span);
        }
    }

    [Fact]
    public async Task Two_root_fields_run_two_statements_and_what_the_engine_does_not_plan_runs_through_the_loaders()
    {
        planned.Statements.Reset();
        await planned.CreateGraphQLClient().QueryAsync("""{ a: article(slug: "story-01") { title } b: articles(first: 2) { nodes { title } } }""");
        Assert.Equal(2, planned.Statements.Count);

        planned.Statements.Reset();
        var data = await planned.CreateGraphQLClient().QueryAsync("""{ tags(first: 2) { nodes { slug } } }""");
        Assert.Equal(2, data["tags"]!["nodes"]!.AsArray().Count);
        Assert.True(planned.Statements.Count >= 1);
    }
}
