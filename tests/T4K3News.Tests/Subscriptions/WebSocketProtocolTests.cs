using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Subscriptions;

/// <summary>The WebSocket transport on a real socket (Kestrel on loopback), as clients meet it.</summary>
public sealed class SocketApi : ContentApi
{
    protected override string? SeedsFolder => null;

    public override bool ListensOnLoopback => true;
}

/// <summary>The graphql-transport-ws rules: every misstep closes the socket with the protocol's code, and the server goes on.</summary>
public sealed class WebSocketProtocolTests(SocketApi api) : IClassFixture<SocketApi>
{
    private const string Subscription = "subscription { articleChanged { version } }";

    [Fact]
    public async Task A_client_must_offer_the_graphql_transport_ws_subprotocol()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(api, subProtocol: "graphql-ws");

        Assert.Equal(4406, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    [Theory]
    [InlineData("unknown token", "Bearer t4k_not-a-token")]
    [InlineData("not a bearer token", "t4kp_a-preview-token")]
    public async Task Initialising_with_a_token_that_is_not_a_valid_editor_token_is_forbidden(string _, string authorization)
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(api);

        await socket.SendAsync(new { type = "connection_init", payload = new { Authorization = authorization } });

        Assert.Equal(4403, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task Initialising_without_a_token_connects_as_a_reader_who_may_not_subscribe_to_editors_changes()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(api);

        await socket.SendAsync(new { type = "connection_init" });
        var ack = await socket.ReceiveAsync();
        await socket.SubscribeAsync("1", "subscription { articleChanged { articleId } }");
        var refused = await socket.ReceiveAsync();

        Assert.Equal("connection_ack", ack?["type"].Text());
        Assert.Equal("1", refused?["id"].Text());
        Assert.Contains("AUTH_NOT_AUTHENTICATED", refused!.ToJsonString());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task Subscribing_before_the_acknowledgement_is_unauthorized()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(api);

        await socket.SubscribeAsync("1", Subscription);

        Assert.Equal(4401, await socket.ClosedWithAsync());
    }

    [Fact]
    public async Task A_second_connection_init_is_one_too_many()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SendAsync(new { type = "connection_init" });

        Assert.Equal(4429, await socket.ClosedWithAsync());
    }

    [Fact]
    public async Task Reusing_the_id_of_a_running_subscription_is_refused_with_4409()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SubscribeAsync("same", Subscription);
        await socket.SubscribeAsync("same", Subscription);

        Assert.Equal(4409, await socket.ClosedWithAsync());
    }

    [Theory]
    [InlineData("not json", "this is not json")]
    [InlineData("no type", """{"id":"1"}""")]
    [InlineData("unknown type", """{"type":"start","id":"1"}""")]
    [InlineData("subscribe without an id", """{"type":"subscribe","payload":{"query":"{ __typename }"}}""")]
    [InlineData("complete without an id", """{"type":"complete"}""")]
    public async Task A_malformed_message_closes_the_socket_with_4400(string _, string message)
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SendTextAsync(message);

        Assert.Equal(4400, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    [Theory]
    [InlineData("before connection_init", """{"type":"\ud800"}""")]
    [InlineData("the type", """{"type":"\ud800"}""")]
    [InlineData("a reversed pair in the id", """{"type":"subscribe","id":"\udc00\ud800","payload":{"query":"{ __typename }"}}""")]
    [InlineData("the query", """{"type":"subscribe","id":"1","payload":{"query":"{ __typename } # \udfff"}}""")]
    [InlineData("a nested variable", """{"type":"subscribe","id":"1","payload":{"query":"query ($where: ArticleFilterInput) { articles(where: $where) { totalCount } }","variables":{"where":{"slug":{"in":["\ud800"]}}}}}""")]
    [InlineData("the extensions", """{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","extensions":{"\ud800":1}}}""")]
    [InlineData("a member nobody reads", """{"type":"ping","payload":{"note":"\udfff"}}""")]
    public async Task A_message_with_an_unpaired_surrogate_escape_closes_the_socket_with_4400(string where, string message)
    {
        await using var socket = where == "before connection_init"
            ? await GraphQLWebSocketClient.ConnectAsync(api)
            : await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SendTextAsync(message);

        Assert.Equal(4400, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task An_unknown_type_too_long_to_quote_in_a_close_reason_still_closes_the_socket_with_4400()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SendAsync(new { type = string.Concat(Enumerable.Repeat("ünknown-📰-", 50)) });

        Assert.Equal(4400, await socket.ClosedWithAsync());
        Assert.StartsWith("Invalid message: unknown type 'ünknown-📰-", socket.CloseReason);
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_text_message_with_invalid_UTF8_bytes_is_closed_by_the_WebSocket_itself_with_1007()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        byte[] message = [.. """{"type":"ping","payload":{"note":" """u8, 0xC3, 0x28, 0xFF, .. "\"}}"u8];
        await socket.Socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.Equal(1007, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_message_larger_than_the_body_limit_closes_the_socket()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, await api.CreateTokenAsync(TokenRole.Editor));

        await socket.SendAsync(new { type = "ping", payload = new { padding = new string('x', 300 * 1024) } });

        Assert.Equal(1009, await socket.ClosedWithAsync());
        await AssertStillAnswersAsync();
    }

    private async Task AssertStillAnswersAsync() =>
        Assert.Equal("Query", (await api.CreateGraphQLClient().QueryAsync("{ __typename }"))["__typename"].Text());
}

public sealed class ImpatientSocketApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:ConnectionInitTimeout"] = "00:00:01" };
}

public sealed class ConnectionInitTimeoutTests(ImpatientSocketApi api) : IClassFixture<ImpatientSocketApi>
{
    [Fact]
    public async Task A_client_that_does_not_initialise_in_time_is_closed_with_4408()
    {
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(api);

        Assert.Equal(4408, await socket.ClosedWithAsync());
    }
}
