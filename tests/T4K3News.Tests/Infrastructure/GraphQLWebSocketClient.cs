using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;

namespace T4K3News.Tests.Infrastructure;

/// <summary>A raw graphql-transport-ws client: sends messages as written and reads what the server sends back, close codes included.</summary>
public sealed class GraphQLWebSocketClient(WebSocket socket) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public WebSocket Socket => socket;

    public static async Task<GraphQLWebSocketClient> ConnectAsync(ContentApi api, string? subProtocol = "graphql-transport-ws")
    {
        if (api.ListensOnLoopback)
        {
            var overTcp = new ClientWebSocket();
            if (subProtocol is not null)
                overTcp.Options.AddSubProtocol(subProtocol);
            await overTcp.ConnectAsync(LoopbackUri(api), CancellationToken.None);
            return new GraphQLWebSocketClient(overTcp);
        }

        var client = api.Server.CreateWebSocketClient();
        if (subProtocol is not null)
            client.SubProtocols.Add(subProtocol);
        return new GraphQLWebSocketClient(await client.ConnectAsync(new Uri("ws://localhost/graphql"), CancellationToken.None));
    }

    /// <summary>
    /// A client on a real socket (the server must listen on loopback) whose TCP receive window is tiny, so that what it
    /// leaves unread soon holds up the server's sends, as a slow or stalled client's does.
    /// </summary>
    public static async Task<GraphQLWebSocketClient> ConnectWithSmallWindowAsync(ContentApi api)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        };
        var client = new ClientWebSocket();
        client.Options.AddSubProtocol("graphql-transport-ws");
        await client.ConnectAsync(LoopbackUri(api), new HttpMessageInvoker(handler), CancellationToken.None);
        return new GraphQLWebSocketClient(client);
    }

    private static Uri LoopbackUri(ContentApi api) => new UriBuilder(api.ClientOptions.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;

    /// <summary>Connects, initialises with the token and waits for the acknowledgement.</summary>
    public static async Task<GraphQLWebSocketClient> ConnectAsEditorAsync(ContentApi api, string token)
    {
        var client = await ConnectAsync(api);
        await client.SendAsync(new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"].Text());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message, or null when the server closed the socket instead (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? Patience);
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var frame = await socket.ReceiveAsync(buffer, cancellation.Token);
            if (frame.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, frame.Count);
            if (frame.EndOfMessage)
                return JsonNode.Parse(message.ToArray());
        }
    }

    /// <summary>Reads until the server closes the socket, and returns its close code.</summary>
    public async Task<int> ClosedWithAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return (int)socket.CloseStatus!.Value;
    }

    public int? CloseStatus => (int?)socket.CloseStatus;

    public string? CloseReason => socket.CloseStatusDescription;

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        socket.Dispose();
    }
}
