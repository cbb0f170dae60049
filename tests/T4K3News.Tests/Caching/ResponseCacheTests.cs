using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Caching;

/// <summary>Asking anonymously, writing as an editor, counting the SQL statements each anonymous answer cost.</summary>
internal static class Newsroom
{
    public const string FrontPage = "{ articles(first: 3) { nodes { title } } }";

    public static string ArticlePage(string slug) => $$"""{ article(slug: "{{slug}}") { title relatedArticles { title } } }""";

    /// <summary>An anonymous answer (which must have no errors) and the statements it ran.</summary>
    public static async Task<(JsonNode? Data, int Statements)> AskAsync(ContentApi instance, string query, object? variables = null)
    {
        await ServingFromCacheAsync(instance);
        instance.Statements.Reset();
        var response = await instance.CreateGraphQLClient().PostAsync(query, variables);
        Assert.True(response.Errors is null, $"Unexpected errors: {response.Errors?.ToJsonString()}");
        return (response.Data, instance.Statements.Count);
    }

    /// <summary>An instance caches once it listens for changes and knows when the next scheduled article comes due.</summary>
    public static async Task ServingFromCacheAsync(ContentApi instance)
    {
        var cache = instance.Services.GetRequiredService<ResponseCache>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (cache.IsEnabled && !cache.IsActive)
        {
            Assert.True(DateTime.UtcNow < deadline, "The response cache did not start");
            await Task.Delay(20);
        }
    }

    /// <summary>Asks until the answer satisfies <paramref name="expected"/>: another instance hears of a change moments after it commits.</summary>
    public static async Task<JsonNode> EventuallyAsync(ContentApi instance, string query, Func<JsonNode, bool> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var (data, _) = await AskAsync(instance, query);
            if (expected(data!))
                return data!;
            Assert.True(DateTime.UtcNow < deadline, $"Still answered {data!.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public static async Task<(string Id, int Version)> ArticleAsync(GraphQLClient editor, string slug)
    {
        var article = (await editor.QueryAsync("query ($slug: String!) { article(slug: $slug) { id version } }", new { slug }))["article"]!;
        return (article["id"].Text()!, article["version"]!.GetValue<int>());
    }

    /// <summary>Runs a mutation that must succeed, by its conventional name and input.</summary>
    public static async Task MutateAsync(GraphQLClient editor, string mutation, object input)
    {
        var type = char.ToUpperInvariant(mutation[0]) + mutation[1..] + "Input";
        var data = await editor.QueryAsync($"mutation ($input: {type}!) {{ {mutation}(input: $input) {{ errors {{ __typename ... on Error {{ message }} }} }} }}", new { input });
        Assert.True(data[mutation]!["errors"] is null, data.ToJsonString());
    }

    public static async Task RetitleAsync(GraphQLClient editor, string slug, string title)
    {
        var (id, version) = await ArticleAsync(editor, slug);
        await MutateAsync(editor, "updateArticle", new { id, expectedVersion = version, title });
    }

    public static IEnumerable<string?> Titles(JsonNode data, string list = "articles") => data[list]!["nodes"].Texts("title");

    public static IEnumerable<string?> RelatedTitles(JsonNode data) => data["article"]!["relatedArticles"]!.AsArray().Select(a => a!["title"].Text());
}

public sealed class ResponseCacheTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private ResponseCache Cache => api.Services.GetRequiredService<ResponseCache>();

    [Fact]
    public async Task A_repeated_anonymous_query_runs_no_SQL_and_answers_the_same_bytes()
    {
        const string query = "query Page($slug: String!, $first: Int) { article(slug: $slug) { title tags { name } relatedArticles { title } } articles(first: $first) { nodes { title } } }";
        using var http = api.CreateClient();

        async Task<(string Body, int Statements)> PostAsync(string variables)
        {
            api.Statements.Reset();
            using var response = await http.PostAsync("/graphql", new StringContent($$"""{"query":{{JsonValue.Create(query).ToJsonString()}},"variables":{{variables}}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            return (await response.Content.ReadAsStringAsync(), api.Statements.Count);
        }

        var first = await PostAsync("""{"slug":"story-10","first":2}""");
        var second = await PostAsync("""{"slug":"story-10","first":2}""");
        var reordered = await PostAsync("""{ "first": 2, "slug": "story-10" }""");
        var other = await PostAsync("""{"slug":"story-11","first":2}""");

        Assert.True(first.Statements > 0);
        Assert.Equal((first.Body, 0), second);
        Assert.Equal((first.Body, 0), reordered);
        Assert.True(other.Statements > 0);
        Assert.Equal("Story 10", JsonNode.Parse(first.Body)!["data"]!["article"]!["title"].Text());
        Assert.Equal("Story 11", JsonNode.Parse(other.Body)!["data"]!["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_batch_answers_its_cached_operations_as_it_answers_the_others()
    {
        const string batch = """[{"query":"{ article(slug: \"story-14\") { title } }"},{"query":"{ article(slug: \"story-15\") { title } }"}]""";
        await Newsroom.AskAsync(api, """{ article(slug: "story-14") { title } }""");
        using var http = api.CreateClient();

        api.Statements.Reset();
        using var first = await http.PostAsync("/graphql", new StringContent(batch, Encoding.UTF8, "application/json"));
        var statementsFirst = api.Statements.Count;
        api.Statements.Reset();
        using var second = await http.PostAsync("/graphql", new StringContent(batch, Encoding.UTF8, "application/json"));
        var statementsSecond = api.Statements.Count;

        var body = await first.Content.ReadAsStringAsync();
        // Planned reads write PostgreSQL's JSON as it came, so compare values, not spacing.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"data":{"article":{"title":"Story 14"}}},{"data":{"article":{"title":"Story 15"}}}]"""), JsonNode.Parse(body)), body);
        Assert.Equal(body, await second.Content.ReadAsStringAsync());
        Assert.Equal(1, statementsFirst); // story-14 was cached already
        Assert.Equal(0, statementsSecond);
    }

    [Fact]
    public async Task Persisted_query_GETs_and_POSTs_share_the_cache_and_GETs_keep_their_ETag()
    {
        const string query = """query StoryTwelve { article(slug: "story-12") { title standfirst } }""";
        var extensions = new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query))) } };
        using var http = api.CreateClient();

        api.Statements.Reset();
        using var registered = await http.PostAsync("/graphql", new StringContent(new JsonObject { ["query"] = query, ["extensions"] = extensions.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"));
        var registeredBody = await registered.Content.ReadAsStringAsync();
        var statementsToRegister = api.Statements.Count;
        api.Statements.Reset();
        var url = $"/graphql?extensions={Uri.EscapeDataString(extensions.ToJsonString())}";
        using var byHash = await http.GetAsync(url);
        var statementsByHash = api.Statements.Count;
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, url);
        revalidation.Headers.IfNoneMatch.Add(byHash.Headers.ETag!);
        using var notModified = await http.SendAsync(revalidation);

        Assert.True(statementsToRegister > 0);
        Assert.Equal(0, statementsByHash);
        Assert.Equal(registeredBody, await byHash.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=60", byHash.Headers.CacheControl!.ToString());
        Assert.Equal($"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(registeredBody)))[..32]}\"", byHash.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Editors_never_use_the_cache_and_their_previews_never_reach_readers()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        const string preview = """{ article(slug: "unfinished-draft") { title } }""";

        api.Statements.Reset();
        var editorsFirst = await editor.QueryAsync(preview);
        var first = api.Statements.Count;
        api.Statements.Reset();
        var editorsSecond = await editor.QueryAsync(preview);
        var second = api.Statements.Count;
        var readers = await Newsroom.AskAsync(api, preview);

        Assert.Equal("Unfinished draft", editorsFirst["article"]!["title"].Text());
        Assert.Equal(editorsFirst.ToJsonString(), editorsSecond.ToJsonString());
        Assert.True(first > 0 && second > 0, $"{first} and {second} statements");
        Assert.Null(readers.Data!["article"]);
    }

    [Fact]
    public async Task Answers_with_errors_are_never_kept()
    {
        const string query = """{ article(slug: "story-20") { title } articles(first: 51) { totalCount } }""";
        var client = api.CreateGraphQLClient();

        api.Statements.Reset();
        var first = await client.PostAsync(query);
        var statementsFirst = api.Statements.Count;
        api.Statements.Reset();
        var second = await client.PostAsync(query);
        var statementsSecond = api.Statements.Count;

        Assert.Equal("PAGE_SIZE_TOO_LARGE", first.FirstErrorCode);
        Assert.Equal("Story 20", first.Data!["article"]!["title"].Text());
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.True(statementsFirst > 0 && statementsSecond > 0, $"{statementsFirst} and {statementsSecond} statements");
    }

    [Fact]
    public async Task A_change_drops_the_pages_showing_the_article_and_keeps_the_others()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var storyThirty = Newsroom.ArticlePage("story-30"); // Story 30 and its related Story 29
        var storyForty = Newsroom.ArticlePage("story-40");
        foreach (var page in new[] { storyThirty, storyForty, Newsroom.FrontPage })
            await Newsroom.AskAsync(api, page);

        await Newsroom.RetitleAsync(editor, "story-35", "Story 35, revised");
        var afterUnrelated = new[] { await Newsroom.AskAsync(api, storyThirty), await Newsroom.AskAsync(api, storyForty) };
        var frontAfterUnrelated = await Newsroom.AskAsync(api, Newsroom.FrontPage);
        await Newsroom.RetitleAsync(editor, "story-29", "Story 29, revised");
        var thirtyAfterRelated = await Newsroom.AskAsync(api, storyThirty);
        var fortyAfterRelated = await Newsroom.AskAsync(api, storyForty);
        await Newsroom.RetitleAsync(editor, "story-40", "Story 40, revised");
        var fortyAfterItsOwn = await Newsroom.AskAsync(api, storyForty);

        Assert.All(afterUnrelated, page => Assert.Equal(0, page.Statements));
        Assert.True(frontAfterUnrelated.Statements > 0, "every change drops the lists");
        Assert.True(thirtyAfterRelated.Statements > 0);
        Assert.Equal(["Story 29, revised"], Newsroom.RelatedTitles(thirtyAfterRelated.Data!));
        Assert.Equal(0, fortyAfterRelated.Statements);
        Assert.Equal("Story 40, revised", fortyAfterItsOwn.Data!["article"]!["title"].Text());
    }

    [Fact]
    public async Task Publishing_an_article_shows_it_in_the_cached_related_lists_that_left_it_out()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var storySixty = Newsroom.ArticlePage("story-60"); // relates Story 59 and the draft
        const string counts = """{ article(slug: "story-44") { tags { slug articleCount } } }"""; // "world" is on the draft too
        var before = await Newsroom.AskAsync(api, storySixty);
        var countsBefore = await Newsroom.AskAsync(api, counts);
        var (id, version) = await Newsroom.ArticleAsync(editor, "unfinished-draft");

        await Newsroom.MutateAsync(editor, "publishArticle", new { id, expectedVersion = version });
        var published = await Newsroom.AskAsync(api, storySixty);
        var countsPublished = await Newsroom.AskAsync(api, counts);
        await Newsroom.MutateAsync(editor, "unpublishArticle", new { id, expectedVersion = version + 1 });
        var unpublished = await Newsroom.AskAsync(api, storySixty);
        var countsUnpublished = await Newsroom.AskAsync(api, counts);

        Assert.Equal(["Story 59"], Newsroom.RelatedTitles(before.Data!));
        Assert.Equal(["Story 59", "Unfinished draft"], Newsroom.RelatedTitles(published.Data!));
        Assert.Equal(["Story 59"], Newsroom.RelatedTitles(unpublished.Data!));
        int World((JsonNode? Data, int) answer) => answer.Data!["article"]!["tags"]!.AsArray().Single(t => t!["slug"].Text() == "world")!["articleCount"]!.GetValue<int>();
        Assert.Equal([60, 61, 60], new[] { World(countsBefore), World(countsPublished), World(countsUnpublished) });
    }

    [Fact]
    public async Task A_scheduled_article_appears_in_the_cached_front_page_when_its_time_comes()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var created = await editor.QueryAsync(
            "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } } }",
            new { input = new { title = "Due in three hours", standfirst = "It waits for its time.", body = "Scheduled body." } });
        var draft = created["createArticle"]!["article"]!;
        var now = api.Clock.GetUtcNow();
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddHours(3);

        await Newsroom.MutateAsync(editor, "publishArticle", new { id = draft["id"].Text(), expectedVersion = draft["version"]!.GetValue<int>(), at = at.UtcDateTime });
        var scheduledFor = Cache.NextScheduledInvalidation;
        await Newsroom.AskAsync(api, Newsroom.FrontPage);
        var beforeItsTime = await Newsroom.AskAsync(api, Newsroom.FrontPage);
        api.Clock.Advance(TimeSpan.FromHours(4));
        try
        {
            var atItsTime = await Newsroom.AskAsync(api, Newsroom.FrontPage);
            var again = await Newsroom.AskAsync(api, Newsroom.FrontPage);

            Assert.Equal(at, scheduledFor);
            Assert.Equal(0, beforeItsTime.Statements);
            Assert.DoesNotContain("Due in three hours", Newsroom.Titles(beforeItsTime.Data!));
            Assert.Equal("Due in three hours", Newsroom.Titles(atItsTime.Data!).First());
            Assert.Equal(0, again.Statements);
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-4));
        }

        var afterTheClockWentBack = await Newsroom.AskAsync(api, Newsroom.FrontPage);
        Assert.DoesNotContain("Due in three hours", Newsroom.Titles(afterTheClockWentBack.Data!));
    }

    [Fact]
    public async Task Renaming_a_tag_drops_the_pages_showing_it()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        const string tagged = """{ article(slug: "story-42") { tags { name } } }""";
        const string untagged = """{ article(slug: "story-43") { title } }""";
        await Newsroom.AskAsync(api, tagged);
        await Newsroom.AskAsync(api, untagged);
        var even = (await editor.QueryAsync("""{ tag(slug: "even") { id } }"""))["tag"]!["id"].Text();

        await Newsroom.MutateAsync(editor, "renameTag", new { id = even, name = "Even numbers" });
        var taggedAfter = await Newsroom.AskAsync(api, tagged);
        var untaggedAfter = await Newsroom.AskAsync(api, untagged);

        Assert.Equal(["Even numbers", "World"], taggedAfter.Data!["article"]!["tags"].Texts("name"));
        Assert.Equal(0, untaggedAfter.Statements);
    }
}

public sealed class ResponseCacheAcrossInstancesTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    [Fact]
    public async Task Publishing_updating_and_unpublishing_reach_the_cached_pages_of_every_instance()
    {
        await using var second = new AnotherInstance(api);
        await second.InitializeAsync();
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var storySixty = Newsroom.ArticlePage("story-60");
        var storyTwenty = Newsroom.ArticlePage("story-20");
        var warm = new List<int>();
        foreach (var instance in new ContentApi[] { api, second })
            foreach (var page in new[] { Newsroom.FrontPage, storySixty, storyTwenty })
            {
                await Newsroom.AskAsync(instance, page);
                warm.Add((await Newsroom.AskAsync(instance, page)).Statements);
            }

        var (draft, draftVersion) = await Newsroom.ArticleAsync(editor, "unfinished-draft");
        await Newsroom.MutateAsync(editor, "publishArticle", new { id = draft, expectedVersion = draftVersion });
        var publishedHere = await Newsroom.AskAsync(api, storySixty);
        await Newsroom.EventuallyAsync(second, storySixty, data => Newsroom.RelatedTitles(data).Contains("Unfinished draft"));
        await Newsroom.EventuallyAsync(second, Newsroom.FrontPage, data => Newsroom.Titles(data).First() == "Unfinished draft");

        await Newsroom.RetitleAsync(editor, "story-60", "Story 60, updated");
        var updatedHere = await Newsroom.AskAsync(api, storySixty);
        await Newsroom.EventuallyAsync(second, storySixty, data => data["article"]!["title"].Text() == "Story 60, updated");
        await Newsroom.EventuallyAsync(second, Newsroom.FrontPage, data => Newsroom.Titles(data).Contains("Story 60, updated"));

        var (sixty, sixtyVersion) = await Newsroom.ArticleAsync(editor, "story-60");
        await Newsroom.MutateAsync(editor, "unpublishArticle", new { id = sixty, expectedVersion = sixtyVersion });
        var unpublishedHere = await Newsroom.AskAsync(api, storySixty);
        await Newsroom.EventuallyAsync(second, storySixty, data => data["article"] is null);
        var front = await Newsroom.EventuallyAsync(second, Newsroom.FrontPage, data => !Newsroom.Titles(data).Contains("Story 60, updated"));
        var unrelated = await Newsroom.AskAsync(second, storyTwenty);

        Assert.All(warm, statements => Assert.Equal(0, statements));
        Assert.Equal(["Story 59", "Unfinished draft"], Newsroom.RelatedTitles(publishedHere.Data!));
        Assert.Equal("Story 60, updated", updatedHere.Data!["article"]!["title"].Text());
        Assert.Null(unpublishedHere.Data!["article"]);
        Assert.Equal(["Unfinished draft", "Story 59", "Story 58"], Newsroom.Titles(front));
        Assert.Equal(0, unrelated.Statements);
    }
}

public sealed class SmallResponseCacheApi : NewsroomApi
{
    public const long MaxBytes = 4_000;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:ResponseCacheMaxBytes"] = MaxBytes.ToString() };
}

public sealed class ResponseCacheBoundTests(SmallResponseCacheApi api) : IClassFixture<SmallResponseCacheApi>
{
    [Fact]
    public async Task The_byte_bound_evicts_the_least_recently_used_answers()
    {
        const string page = "query ($slug: String!) { article(slug: $slug) { title standfirst body } }";
        var cache = api.Services.GetRequiredService<ResponseCache>();
        var sizes = new List<(int Count, long Bytes)>();
        await Newsroom.AskAsync(api, page, new { slug = "story-01" });
        for (var number = 2; number <= 20; number++)
        {
            await Newsroom.AskAsync(api, page, new { slug = $"story-{number:00}" });
            await Newsroom.AskAsync(api, page, new { slug = "story-01" }); // kept in use
            sizes.Add(cache.Size);
        }

        var inUse = await Newsroom.AskAsync(api, page, new { slug = "story-01" });
        var latest = await Newsroom.AskAsync(api, page, new { slug = "story-20" });
        var oldest = await Newsroom.AskAsync(api, page, new { slug = "story-02" });

        Assert.All(sizes, size => Assert.InRange(size.Bytes, 1, SmallResponseCacheApi.MaxBytes));
        Assert.InRange(sizes[^1].Count, 2, 10);
        Assert.Equal(0, inUse.Statements);
        Assert.Equal(0, latest.Statements);
        Assert.True(oldest.Statements > 0, "the least recently used answer was evicted");
    }
}

public sealed class UncachedNewsroomApi : NewsroomApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:ResponseCache"] = "false" };
}

public sealed class ResponseCacheSwitchedOffTests(UncachedNewsroomApi api) : IClassFixture<UncachedNewsroomApi>
{
    [Fact]
    public async Task Switched_off_every_query_runs_its_SQL()
    {
        var first = await Newsroom.AskAsync(api, Newsroom.FrontPage);
        var second = await Newsroom.AskAsync(api, Newsroom.FrontPage);

        Assert.Equal(first.Data!.ToJsonString(), second.Data!.ToJsonString());
        Assert.True(second.Statements > 0);
        Assert.False(api.Services.GetRequiredService<ResponseCache>().IsActive);
    }
}
