using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Subscriptions;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Subscriptions;

public sealed class TickerApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:MaxSocketsPerAddress"] = "3",
        ["RateLimiting:WebSocketConnectPermitLimit"] = "20",
        ["RateLimiting:Window"] = "00:10:00",
    };
}

/// <summary>Readers' breaking-news ticker: <c>articlePublished</c> on an anonymous WebSocket hears articles as readers come to see them.</summary>
public sealed class ArticlePublishedSubscriptionTests(TickerApi api) : IClassFixture<TickerApi>
{
    private const string ArticlePublished = "subscription { articlePublished { id slug title status publishedAt relatedArticles { id } } }";

    [Fact]
    public async Task A_reader_hears_an_article_as_it_is_published_but_not_its_draft_saves_nor_later_edits()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await using var reader = await ReaderAsync(Address(1));
        await reader.SubscribeAsync("ticker", ArticlePublished);
        await PingAsync(reader);

        var unpublished = await DraftAsync(editor, "Harbour master's notes");
        var draft = await DraftAsync(editor, "Storm closes the harbour");
        var edited = await EditAsync(editor, draft, "Storm closes the harbour for a day", relatedArticleIds: [unpublished.Id]);
        var published = await PublishAsync(editor, edited);
        var heard = await reader.ReceiveAsync();
        await EditAsync(editor, published, "Storm closes the harbour for two days");
        var other = await PublishAsync(editor, await DraftAsync(editor, "Ferries resume"));
        var next = await reader.ReceiveAsync();

        Assert.Equal(("ticker", "next"), (heard?["id"].Text(), heard?["type"].Text()));
        var article = heard!["payload"]!["data"]!["articlePublished"]!;
        Assert.Equal((draft.Id, "Storm closes the harbour for a day", "PUBLISHED"), (article["id"].Text(), article["title"].Text(), article["status"].Text()));
        Assert.Empty(article["relatedArticles"]!.AsArray());
        Assert.Equal(other.Id, next!["payload"]!["data"]!["articlePublished"]!["id"].Text());
    }

    [Fact]
    public async Task A_scheduled_article_is_heard_when_it_comes_due_not_when_it_is_scheduled_nor_once_archived()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await using var reader = await ReaderAsync(Address(2));
        await reader.SubscribeAsync("ticker", ArticlePublished);
        await PingAsync(reader);

        var scheduled = await PublishAsync(editor, await DraftAsync(editor, "Budget day"), at: api.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        var archived = await DraftAsync(editor, "Old news");
        await StepAsync(editor, "archiveArticle", archived);
        var now = await PublishAsync(editor, await DraftAsync(editor, "Breaking now"));
        var first = await reader.ReceiveAsync();

        api.Clock.Advance(TimeSpan.FromHours(2));
        try
        {
            // The scheduler on this instance sees the time has come and announces it (changedFields: due).
            var due = await reader.ReceiveAsync();

            Assert.Equal(now.Id, first!["payload"]!["data"]!["articlePublished"]!["id"].Text());
            Assert.Equal(scheduled.Id, due!["payload"]!["data"]!["articlePublished"]!["id"].Text());
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-2));
        }
    }

    [Fact]
    public async Task One_address_holds_a_bounded_number_of_anonymous_sockets_while_editors_count_against_their_token()
    {
        var address = Address(3);
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        var readers = new List<GraphQLWebSocketClient>();
        try
        {
            for (var i = 0; i < 3; i++)
                readers.Add(await ReaderAsync(address));
            await using var editor = await ConnectFromAsync(address);
            await editor.SendAsync(new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
            Assert.Equal("connection_ack", (await editor.ReceiveAsync())?["type"].Text());

            await using var oneTooMany = await ConnectFromAsync(address);
            await oneTooMany.SendAsync(new { type = "connection_init" });
            Assert.Equal(1008, await oneTooMany.ClosedWithAsync());
            Assert.Contains("address", oneTooMany.CloseReason);

            await readers[0].DisposeAsync();
            readers.RemoveAt(0);
            readers.Add(await EventuallyAsync(() => ReaderAsync(address)));
            await PingAsync(readers[^1]);
        }
        finally
        {
            foreach (var reader in readers)
                await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task Connection_attempts_from_one_address_are_rate_limited_before_the_upgrade()
    {
        var address = Address(4);
        for (var i = 0; i < 20; i++)
            await using (await ConnectFromAsync(address))
            {
            }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectFromAsync(address));

        Assert.Contains("429", refused.Message);
        await using var elsewhere = await ReaderAsync(Address(5));
        await PingAsync(elsewhere);
    }

    private static IPAddress Address(int n) => IPAddress.Parse($"192.0.2.{n}");

    private async Task<GraphQLWebSocketClient> ConnectFromAsync(IPAddress address)
    {
        var client = api.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        client.ConfigureRequest = request => request.HttpContext.Connection.RemoteIpAddress = address;
        return new GraphQLWebSocketClient(await client.ConnectAsync(new Uri("ws://localhost/graphql"), CancellationToken.None));
    }

    private async Task<GraphQLWebSocketClient> ReaderAsync(IPAddress address)
    {
        var socket = await ConnectFromAsync(address);
        await socket.SendAsync(new { type = "connection_init" });
        var ack = await socket.ReceiveAsync();
        if (ack?["type"].Text() != "connection_ack")
        {
            await socket.DisposeAsync();
            throw new InvalidOperationException($"Not acknowledged: closed with {socket.CloseStatus}");
        }

        return socket;
    }

    /// <summary>A closed socket is uncounted once the server has finished with it, moments after the client's close.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("Not acknowledged", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task PingAsync(GraphQLWebSocketClient socket)
    {
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync())?["type"].Text());
    }

    private static int DecodeId(string id) => int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(id)).Split(':')[1]);

    private static async Task<(string Id, int Version)> DraftAsync(GraphQLClient editor, string title)
    {
        var data = await editor.QueryAsync("""
            mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } errors { ... on Error { message } } } }
            """, new { input = new { title = $"{title} {Guid.NewGuid():N}", standfirst = "A standfirst.", body = "A body." } });
        var article = data["createArticle"]!["article"]!;
        return (article["id"].Text()!, article["version"]!.GetValue<int>());
    }

    private static async Task<(string Id, int Version)> EditAsync(GraphQLClient editor, (string Id, int Version) article, string title, string[]? relatedArticleIds = null)
    {
        var data = await editor.QueryAsync("""
            mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { ... on Error { message } } } }
            """, new { input = new { id = article.Id, expectedVersion = article.Version, title, relatedArticleIds } });
        return (article.Id, data["updateArticle"]!["article"]!["version"]!.GetValue<int>());
    }

    private static async Task<(string Id, int Version)> PublishAsync(GraphQLClient editor, (string Id, int Version) article, DateTime? at = null)
    {
        var data = await editor.QueryAsync("""
            mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { article { version } errors { ... on Error { message } } } }
            """, new { input = new { id = article.Id, expectedVersion = article.Version, at } });
        Assert.Null(data["publishArticle"]!["errors"]);
        return (article.Id, data["publishArticle"]!["article"]!["version"]!.GetValue<int>());
    }

    private static async Task StepAsync(GraphQLClient editor, string mutation, (string Id, int Version) article)
    {
        var type = char.ToUpperInvariant(mutation[0]) + mutation[1..] + "Input";
        var data = await editor.QueryAsync($"mutation ($input: {type}!) {{ {mutation}(input: $input) {{ errors {{ __typename }} }} }}", new { input = new { id = article.Id, expectedVersion = article.Version } });
        Assert.Null(data[mutation]!["errors"]);
    }
}
