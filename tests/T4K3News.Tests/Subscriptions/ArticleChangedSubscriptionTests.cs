using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Subscriptions;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Subscriptions;

public sealed class LiveApi : ContentApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:MaxSubscriptionsPerConnection"] = "3",
    };
}

/// <summary>Editors' live previews: <c>articleChanged</c> over the WebSocket transport hears every committed write.</summary>
public sealed class ArticleChangedSubscriptionTests(LiveApi api) : IClassFixture<LiveApi>
{
    private const string Zelenskyy = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";
    private const string Ferry = "baltic-ferry-crews-strike-over-new-rota-rules";

    private const string ArticleChanged = """
        subscription ($id: ID) { articleChanged(id: $id) { articleId version changedFields author deleted article { slug title } } }
        """;

    private const string UpdateArticle = """
        mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { __typename } } }
        """;

    [Fact]
    public async Task An_editor_hears_each_committed_write_to_the_article_subscribed_to_and_nothing_else()
    {
        var (token, editor) = await EditorAsync();
        var zelenskyy = await ArticleAsync(editor, Zelenskyy);
        var ferry = await ArticleAsync(editor, Ferry);
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("one", ArticleChanged, new { id = zelenskyy.Id });
        await socket.SubscribeAsync("all", ArticleChanged);
        await PingAsync(socket);

        await RetitleAsync(editor, ferry, "Ferry crews strike again");
        var ferryEvent = await socket.ReceiveAsync();
        await RetitleAsync(editor, zelenskyy, "Zelenskyy calls for talks, again");
        var first = await socket.ReceiveAsync();
        var second = await socket.ReceiveAsync();

        Assert.Equal(("all", "next"), (ferryEvent?["id"].Text(), ferryEvent?["type"].Text()));
        Assert.Equal(ferry.Id, ferryEvent!["payload"]!["data"]!["articleChanged"]!["articleId"].Text());
        Assert.Equal(["all", "one"], new[] { first?["id"].Text(), second?["id"].Text() }.Order());
        var change = first!["payload"]!["data"]!["articleChanged"]!;
        Assert.Equal(zelenskyy.Id, change["articleId"].Text());
        Assert.Equal(zelenskyy.Version + 1, change["version"]!.GetValue<int>());
        Assert.Equal(["title"], change["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.StartsWith("Editor-", change["author"].Text());
        Assert.False(change["deleted"]!.GetValue<bool>());
        Assert.Equal("Zelenskyy calls for talks, again", change["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_change_made_through_another_server_instance_reaches_this_ones_subscribers()
    {
        await using var secondInstance = new AnotherInstance(api);
        await secondInstance.InitializeAsync();
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        var throughSecond = secondInstance.CreateGraphQLClient(token);
        var article = await ArticleAsync(throughSecond, Ferry);
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("1", ArticleChanged, new { id = article.Id });
        await PingAsync(socket);

        await RetitleAsync(throughSecond, article, "Ferry crews strike, as seen from the other server");
        var heard = await socket.ReceiveAsync();

        Assert.Equal("Ferry crews strike, as seen from the other server", heard!["payload"]!["data"]!["articleChanged"]!["article"]!["title"].Text());
    }

    [Fact]
    public async Task After_the_database_drops_the_change_feeds_connection_it_listens_again_and_changes_still_arrive()
    {
        var (token, editor) = await EditorAsync();
        var article = await ArticleAsync(editor, Zelenskyy);
        var listener = await FeedConnectionAsync(other: null);

        await using (var db = api.CreateDbContext())
            await db.Database.ExecuteSqlAsync($"SELECT pg_terminate_backend({listener})");
        var relistener = await FeedConnectionAsync(other: listener);

        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("1", ArticleChanged, new { id = article.Id });
        await PingAsync(socket);
        await RetitleAsync(editor, article, "Heard after the outage");
        var heard = await socket.ReceiveAsync();

        Assert.NotEqual(listener, relistener);
        Assert.Equal("Heard after the outage", heard!["payload"]!["data"]!["articleChanged"]!["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_write_that_changes_several_articles_announces_each_of_them()
    {
        var (token, editor) = await EditorAsync();
        var tag = (await editor.QueryAsync("""mutation { createTag(input: { name: "Briefly everywhere" }) { tag { id } } }"""))["createTag"]!["tag"]!["id"].Text();
        var tagged = new List<string>();
        foreach (var slug in new[] { Zelenskyy, Ferry })
        {
            var article = (await editor.QueryAsync("query ($slug: String!) { article(slug: $slug) { id version tags { id } } }", new { slug }))["article"]!;
            var tagIds = article["tags"].Texts("id").Append(tag).ToArray();
            await editor.QueryAsync(UpdateArticle, new { input = new { id = article["id"].Text(), expectedVersion = article["version"]!.GetValue<int>(), tagIds } });
            tagged.Add(article["id"].Text()!);
        }

        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("all", ArticleChanged);
        await PingAsync(socket);
        await editor.QueryAsync("mutation ($id: ID!) { deleteTag(input: { id: $id, force: true }) { errors { __typename } } }", new { id = tag });
        var heard = new[] { await socket.ReceiveAsync(), await socket.ReceiveAsync() }.Select(m => m!["payload"]!["data"]!["articleChanged"]!).ToList();

        Assert.Equal(tagged.Order(), heard.Select(c => c["articleId"].Text()).Order());
        Assert.All(heard, c => Assert.Equal(["tags"], c["changedFields"]!.AsArray().Select(f => f!.GetValue<string>())));
    }

    [Fact]
    public async Task A_completed_subscription_hears_no_more_and_a_refused_write_is_never_announced()
    {
        var (token, editor) = await EditorAsync();
        var article = await ArticleAsync(editor, "kyiv-begins-winter-power-grid-upgrade");
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("stopped", ArticleChanged, new { id = article.Id });
        await socket.SubscribeAsync("listening", ArticleChanged, new { id = article.Id });
        await socket.SendAsync(new { id = "stopped", type = "complete" });
        await PingAsync(socket);

        var refused = await editor.QueryAsync(UpdateArticle, new { input = new { id = article.Id, expectedVersion = article.Version + 5, title = "Never written" } });
        await RetitleAsync(editor, article, "Kyiv upgrades its grid");
        var heard = await socket.ReceiveAsync();
        await PingAsync(socket);

        Assert.Equal("ConcurrencyError", refused["updateArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("listening", heard?["id"].Text());
        Assert.Equal(article.Version + 1, heard!["payload"]!["data"]!["articleChanged"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_revoked_during_a_subscription_closes_the_socket_instead_of_delivering_the_next_change()
    {
        var tokens = api.Services.GetRequiredService<ApiTokens>();
        var leaving = await tokens.CreateAsync("leaving-editor", TokenRole.Editor, lifetime: null, default);
        var (_, editor) = await EditorAsync();
        var article = await ArticleAsync(editor, "central-bank-holds-interest-rates-as-inflation-cools");
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, leaving.Secret);
        await socket.SubscribeAsync("1", ArticleChanged, new { id = article.Id });
        await PingAsync(socket);

        await tokens.RevokeAsync("leaving-editor", default);
        await RetitleAsync(editor, article, "Rates held once more");

        Assert.Equal(4403, await socket.ClosedWithAsync());
    }

    [Fact]
    public async Task Queries_and_mutations_also_run_over_the_socket_and_a_bad_document_gets_an_error_message()
    {
        var (token, _) = await EditorAsync();
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);

        await socket.SubscribeAsync("q", $$"""{ article(slug: "{{Zelenskyy}}") { slug } }""");
        var next = await socket.ReceiveAsync();
        var complete = await socket.ReceiveAsync();
        await socket.SubscribeAsync("bad", "{ article(slug: 1) { nope } }");
        var error = await socket.ReceiveAsync();
        await PingAsync(socket);

        Assert.Equal(("q", "next"), (next?["id"].Text(), next?["type"].Text()));
        Assert.Equal(Zelenskyy, next!["payload"]!["data"]!["article"]!["slug"].Text());
        Assert.Equal(("q", "complete"), (complete?["id"].Text(), complete?["type"].Text()));
        Assert.Equal(("bad", "error"), (error?["id"].Text(), error?["type"].Text()));
        Assert.All(error!["payload"]!.AsArray(), e => Assert.NotNull(e!["extensions"]!["code"]));
    }

    [Fact]
    public async Task A_connection_holds_a_limited_number_of_subscriptions()
    {
        var (token, _) = await EditorAsync();
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);

        foreach (var id in new[] { "1", "2", "3", "4" })
            await socket.SubscribeAsync(id, ArticleChanged);
        var refused = await socket.ReceiveAsync();

        Assert.Equal(("4", "error"), (refused?["id"].Text(), refused?["type"].Text()));
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", refused!["payload"]![0]!["extensions"]!["code"].Text());
    }

    [Fact]
    public async Task Subscriptions_are_for_the_WebSocket_transport_not_for_HTTP()
    {
        var (_, editor) = await EditorAsync();

        var response = await editor.PostAsync(ArticleChanged);

        Assert.Equal("SUBSCRIPTION_OVER_HTTP_NOT_SUPPORTED", response.FirstErrorCode);
    }

    private async Task<(string Token, GraphQLClient Client)> EditorAsync()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        return (token, api.CreateGraphQLClient(token));
    }

    private static async Task<(string Id, int Version)> ArticleAsync(GraphQLClient editor, string slug)
    {
        var article = (await editor.QueryAsync("query ($slug: String!) { article(slug: $slug) { id version } }", new { slug }))["article"]!;
        return (article["id"].Text()!, article["version"]!.GetValue<int>());
    }

    private static async Task RetitleAsync(GraphQLClient editor, (string Id, int Version) article, string title)
    {
        var current = (await editor.QueryAsync("query ($id: ID!) { node(id: $id) { ... on Article { version } } }", new { id = article.Id }))["node"]!["version"]!.GetValue<int>();
        var data = await editor.QueryAsync(UpdateArticle, new { input = new { id = article.Id, expectedVersion = current, title } });
        Assert.Null(data["updateArticle"]!["errors"]);
    }

    /// <summary>The process id of the database connection the server's change feed listens on (LISTEN done), once it is not <paramref name="other"/>.</summary>
    private async Task<int> FeedConnectionAsync(int? other)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var db = api.CreateDbContext();
            var pid = await db.Database
                .SqlQuery<int>($"SELECT pid AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND application_name = {ArticleChangeFeed.ApplicationName} AND query LIKE 'LISTEN%'")
                .Cast<int?>().SingleOrDefaultAsync();
            if (pid is { } found && found != other)
                return found;
            await Task.Delay(100);
        }

        throw new TimeoutException("The change feed did not connect.");
    }

    /// <summary>Messages are handled in order, so once the pong is back every earlier subscribe is listening.</summary>
    private static async Task PingAsync(GraphQLWebSocketClient socket)
    {
        await socket.SendAsync(new { type = "ping" });
        var pong = await socket.ReceiveAsync();
        Assert.Equal("pong", pong?["type"].Text());
    }
}
