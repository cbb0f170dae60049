using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Auth;

/// <summary>The newsroom (with a draft and a scheduled article) behind small rate limits: 3 a window per address, 5 per reader's token.</summary>
public sealed class ReaderTokenApi : NewsroomApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:AnonymousPermitLimit"] = "3",
        ["RateLimiting:ReaderTokenPermitLimit"] = "5",
        ["RateLimiting:EditorPermitLimit"] = "100",
        ["RateLimiting:Window"] = "00:10:00",
    };
}

/// <summary>Delivery tokens, as a server-rendered front end uses them: all its readers' requests from one address.</summary>
public sealed class ReaderTokenTests(ReaderTokenApi api) : IClassFixture<ReaderTokenApi>
{
    private const string FrontPage = """
        { articles(first: 50) { totalCount nodes { title status } }
          draft: article(slug: "unfinished-draft") { title }
          scheduled: article(slug: "scheduled-for-the-next-century") { title } }
        """;

    [Fact]
    public async Task A_reader_token_gets_exactly_the_anonymous_answer_without_drafts_or_editors_fields()
    {
        var reader = api.CreateGraphQLClientFrom(Address(1), await api.CreateTokenAsync(TokenRole.Reader));
        var anonymous = api.CreateGraphQLClientFrom(Address(2));
        var editor = api.CreateGraphQLClientFrom(Address(3), await api.CreateTokenAsync(TokenRole.Editor));
        const string Revisions = """{ article(slug: "story-60") { title revisions { totalCount } } }""";

        var asReader = await reader.PostAsync(FrontPage);
        var asAnonymous = await anonymous.PostAsync(FrontPage);
        var asEditor = await editor.PostAsync(FrontPage);
        var readerRevisions = await reader.PostAsync(Revisions);
        var anonymousRevisions = await anonymous.PostAsync(Revisions);

        Assert.Equal(asAnonymous.Body.ToJsonString(), asReader.Body.ToJsonString());
        Assert.Equal(NewsroomApi.PublishedCount, asReader.Data!["articles"]!["totalCount"]!.GetValue<int>());
        Assert.All(asReader.Data["articles"]!["nodes"]!.AsArray(), node => Assert.Equal("PUBLISHED", node!["status"].Text()));
        Assert.Null(asReader.Data["draft"]);
        Assert.Null(asReader.Data["scheduled"]);
        Assert.Equal("Unfinished draft", asEditor.Data!["draft"]!["title"].Text());
        Assert.Equal("AUTH_NOT_AUTHENTICATED", readerRevisions.FirstErrorCode);
        Assert.Equal(anonymousRevisions.Body.ToJsonString(), readerRevisions.Body.ToJsonString());
    }

    [Fact]
    public async Task A_reader_token_is_refused_every_mutation_with_the_code_anonymous_callers_get_and_nothing_is_written()
    {
        var reader = api.CreateGraphQLClientFrom(Address(10), await api.CreateTokenAsync(TokenRole.Reader));
        var anonymous = api.CreateGraphQLClientFrom(Address(11));
        const string Create = """
            mutation { createArticle(input: { title: "Written by a reader", standfirst: "S.", body: "B." }) { article { id } } }
            """;
        const string NewToken = """
            mutation { createApiToken(input: { name: "reader-made", role: ADMIN }) { secret } }
            """;

        var created = await reader.PostAsync(Create);
        var token = await reader.PostAsync(NewToken);
        var anonymousCreated = await anonymous.PostAsync(Create);

        Assert.Equal("AUTH_NOT_AUTHENTICATED", created.FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", token.FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymousCreated.FirstErrorCode);
        Assert.Equal(anonymousCreated.Body.ToJsonString(), created.Body.ToJsonString());
        await using var db = api.CreateDbContext();
        Assert.DoesNotContain(db.Articles, a => a.Title == "Written by a reader");
        Assert.DoesNotContain(db.ApiTokens, t => t.Name == "reader-made");
    }

    [Fact]
    public async Task A_reader_token_has_its_own_budget_beyond_its_addresss_and_each_token_counts_alone()
    {
        var address = Address(20);
        var (first, second) = (await api.CreateTokenAsync(TokenRole.Reader), await api.CreateTokenAsync(TokenRole.Reader));

        var anonymous = await StatusesAsync(api.CreateGraphQLClientFrom(address), 4);
        var withFirst = await StatusesAsync(api.CreateGraphQLClientFrom(address, first), 6);
        var withSecond = await StatusesAsync(api.CreateGraphQLClientFrom(address, second), 1);
        var firstElsewhere = await StatusesAsync(api.CreateGraphQLClientFrom(Address(21), first), 1);

        Assert.Equal([200, 200, 200, 429], anonymous);
        Assert.Equal([200, 200, 200, 200, 200, 429], withFirst);
        Assert.Equal([200], withSecond);
        Assert.Equal([429], firstElsewhere);
    }

    [Fact]
    public async Task Reader_and_anonymous_answers_share_the_response_cache_and_the_reader_may_revalidate_them()
    {
        await WaitForResponseCacheAsync();
        var token = await api.CreateTokenAsync(TokenRole.Reader);
        using var reader = ClientFrom(Address(30), token);
        using var anonymous = ClientFrom(Address(31));
        var oldStories = "/graphql?query=" + Uri.EscapeDataString("{ articles(first: 2) { nodes { title } } }");
        var otherStories = "/graphql?query=" + Uri.EscapeDataString("{ articles(first: 3) { nodes { slug } } }");
        (await reader.GetAsync("/graphql?query=%7B__typename%7D")).Dispose(); // the token is looked up once, then kept

        var (anonymousFirst, anonymousStatements) = await GetAsync(anonymous, oldStories);
        var (readerHit, readerStatements) = await GetAsync(reader, oldStories);
        var (readerFirst, readerFirstStatements) = await GetAsync(reader, otherStories);
        var (anonymousHit, anonymousHitStatements) = await GetAsync(anonymous, otherStories);
        using var revalidated = await reader.SendAsync(Conditional(oldStories, readerHit.Headers.ETag!));

        Assert.True(anonymousStatements > 0 && readerFirstStatements > 0);
        Assert.Equal((0, 0), (readerStatements, anonymousHitStatements));
        Assert.Equal(await anonymousFirst.Content.ReadAsStringAsync(), await readerHit.Content.ReadAsStringAsync());
        Assert.Equal(await readerFirst.Content.ReadAsStringAsync(), await anonymousHit.Content.ReadAsStringAsync());
        Assert.Equal((true, false, TimeSpan.FromSeconds(60)), CacheControl(anonymousFirst));
        Assert.Equal((false, true, TimeSpan.FromSeconds(60)), CacheControl(readerHit));
        Assert.Equal(anonymousFirst.Headers.ETag, readerHit.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Reader_tokens_are_made_by_the_tokens_command_and_by_createApiToken()
    {
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);
        var (exitCode, output) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "create", "--name", "web-ssr", "--role", "reader");
        var fromCommand = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("t4k_", StringComparison.Ordinal));
        var created = (await admin.QueryAsync("""
            mutation { createApiToken(input: { name: "web-edge", role: READER }) { secret apiToken { role } } }
            """))["createApiToken"]!;
        var listed = await admin.QueryAsync("""{ apiTokens { name role } }""");

        Assert.Equal(0, exitCode);
        Assert.Contains("Created reader token 'web-ssr'", output);
        Assert.Equal("READER", created["apiToken"]!["role"].Text());
        Assert.Contains(listed["apiTokens"]!.AsArray(), t => t!["name"].Text() == "web-ssr" && t["role"].Text() == "READER");
        foreach (var secret in new[] { fromCommand, created["secret"].Text()! })
        {
            var client = api.CreateGraphQLClientFrom(Address(40), secret);
            Assert.Null((await client.QueryAsync(FrontPage))["draft"]);
            Assert.Equal("AUTH_NOT_AUTHENTICATED", (await client.PostAsync("""{ auditLog(first: 1) { totalCount } }""")).FirstErrorCode);
        }
    }

    [Fact]
    public async Task Over_a_WebSocket_a_reader_token_connects_as_a_reader_who_may_not_subscribe_to_editors_changes()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Reader));

        await socket.SubscribeAsync("1", "subscription { articleChanged { articleId } }");
        var refused = await socket.ReceiveAsync();

        Assert.Equal("1", refused?["id"].Text());
        Assert.Contains("\"code\":\"AUTH_NOT_AUTHENTICATED\"", refused!.ToJsonString());
    }

    private async Task<List<int>> StatusesAsync(GraphQLClient client, int requests)
    {
        var statuses = new List<int>();
        for (var i = 0; i < requests; i++)
            statuses.Add((await client.PostAsync("{ __typename }")).Status);
        return statuses;
    }

    private HttpClient ClientFrom(IPAddress address, string? token = null)
    {
        var http = new HttpClient(api.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address)) { BaseAddress = new Uri("http://localhost") };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<(HttpResponseMessage Response, int Statements)> GetAsync(HttpClient client, string url)
    {
        api.Statements.Reset();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, api.Statements.Count);
    }

    /// <summary>Whether shared caches may keep it, whether only the sender's may, and for how long.</summary>
    private static (bool Public, bool Private, TimeSpan? MaxAge) CacheControl(HttpResponseMessage response) =>
        (response.Headers.CacheControl!.Public, response.Headers.CacheControl.Private, response.Headers.CacheControl.MaxAge);

    private static HttpRequestMessage Conditional(string url, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return request;
    }

    private async Task WaitForResponseCacheAsync()
    {
        var cache = api.Services.GetRequiredService<ResponseCache>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!cache.IsActive)
        {
            Assert.True(DateTime.UtcNow < deadline, "The response cache did not start");
            await Task.Delay(20);
        }
    }

    private static IPAddress Address(int last) => IPAddress.Parse($"203.0.113.{last}");
}
