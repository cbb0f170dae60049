using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Subscriptions;

/// <summary>Small WebSocket bounds, on a real socket: only there does a client that reads nothing hold up the server's sends.</summary>
public sealed class BoundedSocketApi : ContentApi
{
    protected override string? SeedsFolder => null;

    public override bool ListensOnLoopback => true;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:MaxSocketsPerToken"] = "2",
        ["GraphQL:MaxQueuedMessagesPerConnection"] = "4",
        ["GraphQL:MaxQueuedEventsPerSubscription"] = "4",
    };
}

/// <summary>What one client can make the server hold for it is bounded; past a bound it is closed with a documented code.</summary>
public sealed class WebSocketBoundsTests(BoundedSocketApi api) : IClassFixture<BoundedSocketApi>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string TooManyMessages = "messages waited to be sent";

    private const string WholeSchema = """
        { __schema { types { name description
            fields { name description args { name description type { name kind ofType { name kind } } } type { name kind ofType { name kind } } }
            inputFields { name description type { name kind ofType { name kind } } }
            enumValues { name description } } } }
        """;

    [Fact]
    public async Task A_subscriber_that_lets_its_events_pile_up_unread_is_closed_with_1013()
    {
        await using var stalled = await ConnectWithSmallWindowAsync(await api.CreateTokenAsync(TokenRole.Editor));
        await stalled.SubscribeAsync("burst", "subscription { articleChanged { version changedFields } }");
        await PingAsync(stalled);

        // Two thousand changes of about 7 KB each, all at once; the client reads none of them.
        await using (var db = api.CreateDbContext())
            await db.Database.ExecuteSqlAsync($"""
                SELECT pg_notify({ArticleChange.Channel}, json_build_object('articleId', 1, 'version', n, 'changedFields', json_build_array(repeat('x', 7000)), 'author', 'burst', 'deleted', false)::text)
                FROM generate_series(1, 2000) AS n
                """);
        await api.Logs.WaitForAsync("events of subscription 'burst' waited", Patience);

        Assert.Equal(1013, await stalled.ClosedWithAsync());
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_client_that_leaves_more_messages_unread_than_its_connection_queues_is_closed_with_1013()
    {
        await using var stalled = await ConnectWithSmallWindowAsync(await api.CreateTokenAsync(TokenRole.Editor));

        // Each answer describes the whole schema, tens of kilobytes; the client reads none of them, and asks until the
        // server has had enough (how much the operating system buffers on the way varies).
        for (var i = 0; i < 2_000 && !api.Logs.Contains(TooManyMessages); i++)
            await stalled.SubscribeAsync($"schema-{i}", WholeSchema);
        await api.Logs.WaitForAsync(TooManyMessages, Patience);

        Assert.Equal(1013, await stalled.ClosedWithAsync());
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_token_holds_a_limited_number_of_sockets_and_one_more_connection_init_is_closed_with_1008()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        await using var first = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await using var second = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);

        await using var third = await GraphQLWebSocketClient.ConnectAsync(api);
        await third.SendAsync(new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
        var thirdClosedWith = await third.ClosedWithAsync();
        await using var anotherToken = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));
        await first.DisposeAsync();
        await using var afterOneLeft = await ConnectOnceThereIsRoomAsync(token);

        Assert.Equal(1008, thirdClosedWith);
        Assert.Equal("pong", (await PingAsync(afterOneLeft))["type"].Text());
        await AssertStillServesAsync();
    }

    private async Task<GraphQLWebSocketClient> ConnectWithSmallWindowAsync(string token)
    {
        var socket = await GraphQLWebSocketClient.ConnectWithSmallWindowAsync(api);
        await socket.SendAsync(new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
        Assert.Equal("connection_ack", (await socket.ReceiveAsync())?["type"].Text());
        return socket;
    }

    /// <summary>The server lets a closed socket go a moment after the client closed it.</summary>
    private async Task<GraphQLWebSocketClient> ConnectOnceThereIsRoomAsync(string token)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = await GraphQLWebSocketClient.ConnectAsync(api);
            await socket.SendAsync(new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
            if ((await socket.ReceiveAsync())?["type"].Text() == "connection_ack")
                return socket;
            await socket.DisposeAsync();
            Assert.True(attempt < 50, "The server kept counting a socket the client had closed.");
            await Task.Delay(100);
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> PingAsync(GraphQLWebSocketClient socket)
    {
        await socket.SendAsync(new { type = "ping" });
        var pong = await socket.ReceiveAsync();
        Assert.Equal("pong", pong?["type"].Text());
        return pong!;
    }

    private async Task AssertStillServesAsync() =>
        Assert.Equal("Query", (await api.CreateGraphQLClient().QueryAsync("{ __typename }"))["__typename"].Text());
}
