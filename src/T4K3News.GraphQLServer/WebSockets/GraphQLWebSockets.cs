using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using Microsoft.Extensions.Options;

namespace T4K3News.GraphQLServer;

/// <summary>
/// GraphQL over WebSocket at the GraphQL endpoint, in the graphql-transport-ws protocol (the one graphql-ws, Apollo
/// Client and Banana Cake Pop speak). Editors send their token in connection_init, and a token revoked or expired
/// meanwhile closes the socket at the next message or event; a connection_init without a token opens an anonymous
/// connection (readers' live tickers), of which one address may hold a bounded number.
/// </summary>
public sealed class GraphQLWebSockets(
    GraphQLRequestExecutor executor,
    IGraphQLTokenAuthenticator authenticator,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    IOptions<GraphQLServerOptions> options,
    ILogger<GraphQLWebSockets> log)
{
    public const string SubProtocol = "graphql-transport-ws";

    private readonly GraphQLRequestExecutor executor = executor;
    private readonly IGraphQLTokenAuthenticator authenticator = authenticator;
    private readonly IGraphQLTextSerializer serializer = serializer;
    private readonly IServiceScopeFactory scopes = scopes;
    private readonly IOptions<GraphQLServerOptions> options = options;
    private readonly ILogger<GraphQLWebSockets> log = log;

    /// <summary>Open connections per token name (on this instance), for <see cref="GraphQLServerOptions.MaxSocketsPerToken"/>.</summary>
    private readonly ConcurrentDictionary<string, int> socketsPerToken = new();

    /// <summary>Open anonymous connections per client address (on this instance), for <see cref="GraphQLServerOptions.MaxSocketsPerAddress"/>.</summary>
    private readonly ConcurrentDictionary<string, int> socketsPerAddress = new();

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            using var refused = await http.WebSockets.AcceptWebSocketAsync();
            await refused.CloseOutputAsync((WebSocketCloseStatus)CloseCodes.SubprotocolNotAcceptable,
                $"Subprotocol not acceptable: use {SubProtocol}", http.RequestAborted);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        await using var session = new Session(this, http, socket);
        await session.RunAsync();
    }

    /// <summary>The close codes of graphql-transport-ws.</summary>
    public static class CloseCodes
    {
        public const int BadRequest = 4400;
        public const int Unauthorized = 4401;
        public const int Forbidden = 4403;
        public const int SubprotocolNotAcceptable = 4406;
        public const int ConnectionInitialisationTimeout = 4408;
        public const int SubscriberAlreadyExists = 4409;
        public const int TooManyInitialisationRequests = 4429;

        /// <summary>The WebSocket standard's "policy violation": more connections with one token than allowed.</summary>
        public const int PolicyViolation = 1008;

        /// <summary>The WebSocket standard's "try again later": the client fell behind what it asked for.</summary>
        public const int TryAgainLater = 1013;
    }

    /// <summary>How long a client has to answer the server's close frame (the close handshake) before it is disconnected.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Counts a connection for the token or address, unless it has as many as allowed already.</summary>
    private static bool TryCount(ConcurrentDictionary<string, int> counts, string key, int limit)
    {
        while (true)
        {
            var count = counts.GetValueOrDefault(key);
            if (count >= limit)
                return false;
            if (count == 0 ? counts.TryAdd(key, 1) : counts.TryUpdate(key, count + 1, count))
                return true;
        }
    }

    private static void Uncount(ConcurrentDictionary<string, int> counts, string key)
    {
        while (counts.TryGetValue(key, out var count))
        {
            if (count == 1 ? counts.TryRemove(new KeyValuePair<string, int>(key, 1)) : counts.TryUpdate(key, count - 1, count))
                return;
        }
    }

    private sealed class Session(GraphQLWebSockets server, HttpContext http, WebSocket socket) : IAsyncDisposable
    {
        private readonly GraphQLWebSockets server = server;
        private readonly HttpContext http = http;
        private readonly Channel<Outgoing> outgoing = Channel.CreateBounded<Outgoing>(
            new BoundedChannelOptions(server.options.Value.MaxQueuedMessagesPerConnection) { SingleReader = true });
        private readonly ConcurrentDictionary<string, Operation> operations = new();
        private readonly CancellationTokenSource closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private GraphQLServerOptions Limits => server.options.Value;
        private bool initReceived;
        private bool acknowledged;
        private string? secret;
        private string? countedToken;
        private string? countedAddress;
        private int closeRequested;
        private Outgoing? closeAheadOfQueue;

        public async Task RunAsync()
        {
            var sending = SendLoopAsync();
            _ = CloseUnlessInitialisedAsync();
            try
            {
                await ReceiveLoopAsync();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The client went away or the session closed: nothing left to tell anyone.
            }

            if (socket.State == WebSocketState.Aborted)
                await LingerAsync();
            await closing.CancelAsync();
            outgoing.Writer.TryComplete();
            await sending;
        }

        /// <summary>
        /// The WebSocket aborts itself after sending its own close frame (1007 for text that is not UTF-8). Ending the
        /// request at once resets the connection, and a client that has not read that frame yet loses it; so the
        /// connection is held until the client hangs up, at most as long as a close handshake may take.
        /// </summary>
        private async Task LingerAsync() =>
            await Task.Delay(CloseHandshakeTimeout, http.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        /// <summary>
        /// Reads and handles messages until the client's close; once the server has asked to close, it only waits for
        /// that answer. A pending receive is never cancelled, which would abort the connection and lose the close frame.
        /// </summary>
        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[16 * 1024];
            var message = new MemoryStream();
            while (true)
            {
                var frame = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    Close((int)WebSocketCloseStatus.NormalClosure, "");
                    return;
                }
                if (Volatile.Read(ref closeRequested) != 0)
                    continue;
                if (message.Length + frame.Count > Limits.MaxBodyBytes)
                {
                    Close((int)WebSocketCloseStatus.MessageTooBig, $"A message may hold at most {Limits.MaxBodyBytes} bytes");
                    continue;
                }

                message.Write(buffer, 0, frame.Count);
                if (!frame.EndOfMessage)
                    continue;
                if (frame.MessageType != WebSocketMessageType.Text)
                {
                    Close(CloseCodes.BadRequest, "Messages are JSON text");
                    continue;
                }

                await HandleAsync(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
        }

        /// <summary>Handles one client message; false once the socket is being closed.</summary>
        private async Task<bool> HandleAsync(ReadOnlyMemory<byte> utf8)
        {
            var document = StrictJson.Parse(utf8, out var problem);
            if (document is null)
                return Close(CloseCodes.BadRequest, $"Invalid message: it {problem}");

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
                    return Close(CloseCodes.BadRequest, "Invalid message: it needs a 'type'");
                var payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
                var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;

                switch (typeElement.GetString())
                {
                    case "connection_init":
                        return await InitialiseAsync(payload);
                    case "ping":
                        Send("""{"type":"pong"}""");
                        return true;
                    case "pong":
                        return true;
                    case "subscribe":
                        return await SubscribeAsync(id, payload);
                    case "complete":
                        if (string.IsNullOrEmpty(id))
                            return Close(CloseCodes.BadRequest, "Invalid message: 'complete' needs an 'id'");
                        if (operations.TryRemove(id, out var stopped))
                            await stopped.DisposeAsync();
                        return true;
                    case var other:
                        return Close(CloseCodes.BadRequest, $"Invalid message: unknown type '{other}'");
                }
            }
        }

        private async Task<bool> InitialiseAsync(JsonElement? payload)
        {
            if (initReceived)
                return Close(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
            initReceived = true;
            if (payload is { ValueKind: not JsonValueKind.Object })
                return Close(CloseCodes.BadRequest, "Invalid message: the connection_init payload is an object");

            secret = TokenFrom(payload) ?? TokenFrom(http.Request.Headers.Authorization.ToString());
            if (secret is null)
            {
                // A reader: anonymous, as over HTTP, and counted against its address for as long as it stays. (Sockets
                // not initialised yet are bounded by the address's connection-attempt limit and the init timeout.)
                var address = Http.ClientAddress.KeyOf(http.Connection.RemoteIpAddress);
                if (!TryCount(server.socketsPerAddress, address, Limits.MaxSocketsPerAddress))
                    return Close(CloseCodes.PolicyViolation, $"Too many connections from this address: at most {Limits.MaxSocketsPerAddress}");
                countedAddress = address;
                acknowledged = true;
                Send("""{"type":"connection_ack"}""");
                return true;
            }

            var user = await server.authenticator.AuthenticateAsync(secret, closing.Token);
            if (user?.Identity?.Name is not { } tokenName)
                return Close(CloseCodes.Forbidden, "Forbidden: the token is not a valid editor's token; send none to connect as a reader");

            if (!TryCount(server.socketsPerToken, tokenName, Limits.MaxSocketsPerToken))
                return Close(CloseCodes.PolicyViolation, $"Too many connections with this token: at most {Limits.MaxSocketsPerToken}");
            countedToken = tokenName;

            http.User = user;
            acknowledged = true;
            Send("""{"type":"connection_ack"}""");
            return true;
        }

        private async Task<bool> SubscribeAsync(string? id, JsonElement? payload)
        {
            if (string.IsNullOrEmpty(id) || payload is not { ValueKind: JsonValueKind.Object } body)
                return Close(CloseCodes.BadRequest, "Invalid message: 'subscribe' needs an 'id' and a 'payload' object");
            if (!acknowledged)
                return Close(CloseCodes.Unauthorized, "Unauthorized");
            if (!await TokenStillActiveAsync())
                return false;
            if (operations.ContainsKey(id))
                return Close(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
            if (operations.Count >= Limits.MaxSubscriptionsPerConnection)
            {
                SendErrors(id, [new ExecutionError($"A connection may hold at most {Limits.MaxSubscriptionsPerConnection} operations at once.") { Code = ErrorCodes.TooManySubscriptions }]);
                return true;
            }

            if (GraphQLRequest.Read(body, out var error) is not { } request)
            {
                SendErrors(id, [new ExecutionError(error!) { Code = ErrorCodes.RequestMalformed }]);
                return true;
            }

            var operation = new Operation(this, id);
            operations[id] = operation;
            // Messages are handled in order: once the next one is read, this operation has run or its stream is
            // subscribed, so a client's ping after a subscribe is answered only when no later change can be missed.
            await operation.StartAsync(request);
            return true;
        }

        /// <summary>A token revoked or expired since connection_init closes the socket at once.</summary>
        private async Task<bool> TokenStillActiveAsync()
        {
            if (secret is null || await server.authenticator.AuthenticateAsync(secret, closing.Token) is not null)
                return true;
            return Close(CloseCodes.Forbidden, "Forbidden: the token was revoked or has expired");
        }

        private async Task CloseUnlessInitialisedAsync()
        {
            try
            {
                await Task.Delay(Limits.ConnectionInitTimeout, closing.Token);
                if (!initReceived)
                    Close(CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
            }
            catch (OperationCanceledException)
            {
            }
        }

        private static string? TokenFrom(JsonElement? payload)
        {
            if (payload is not { ValueKind: JsonValueKind.Object } values)
                return null;
            foreach (var property in values.EnumerateObject())
            {
                if (property.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                    return TokenFrom(property.Value.GetString());
                if (property.Name.Equals("headers", StringComparison.OrdinalIgnoreCase) && TokenFrom(property.Value) is { } fromHeaders)
                    return fromHeaders;
            }

            return null;
        }

        private static string? TokenFrom(string? authorization)
        {
            if (string.IsNullOrWhiteSpace(authorization))
                return null;
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : authorization.Trim();
        }

        private void Send(string message)
        {
            if (Volatile.Read(ref closeRequested) == 0 && !outgoing.Writer.TryWrite(new Outgoing(message, null, null)))
                FellBehind($"more than {Limits.MaxQueuedMessagesPerConnection} messages waited to be sent");
        }

        /// <summary>For a subscription's events: waits for room in the queue, so that a burst waits in the subscription's own queue.</summary>
        private async Task SendWhenRoomAsync(string message, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref closeRequested) != 0)
                return;
            try
            {
                await outgoing.Writer.WriteAsync(new Outgoing(message, null, null), cancellationToken);
            }
            catch (ChannelClosedException)
            {
                // The socket is closing.
            }
        }

        private void SendResult(string id, ExecutionResult result) => Send(ResultMessage(id, result));

        private string ResultMessage(string id, ExecutionResult result) =>
            $$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":{{server.serializer.Serialize(result)}}}""";

        private void SendErrors(string id, IEnumerable<ExecutionError> errors)
        {
            var result = System.Text.Json.Nodes.JsonNode.Parse(server.serializer.Serialize(new ExecutionResult { Errors = [.. errors] }))!;
            Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"error","payload":{{result["errors"]!.ToJsonString()}}}""");
        }

        private void SendComplete(string id) => Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""");

        /// <summary>Closes the socket after what is queued; always false, for "stop handling messages".</summary>
        private bool Close(int code, string reason)
        {
            // The close goes through the queue, as WebSocket sends must not overlap.
            if (Interlocked.Exchange(ref closeRequested, 1) == 0)
            {
                var close = new Outgoing(null, code, ShortEnough(reason));
                // With the queue full the client is far behind already: the close skips the queue.
                if (!outgoing.Writer.TryWrite(close))
                    Volatile.Write(ref closeAheadOfQueue, close);
                outgoing.Writer.TryComplete();
                _ = DisconnectUnlessClosedAsync();
            }

            return false;
        }

        /// <summary>
        /// The client reads more slowly than its subscriptions produce: closed (1013), rather than kept with a queue that
        /// grows without bound. A client that reconnects re-reads what it shows, as after any reconnection.
        /// </summary>
        private void FellBehind(string what)
        {
            if (Interlocked.Exchange(ref closeRequested, 1) != 0)
                return;
            server.log.LogWarning("Closing a WebSocket whose client fell behind: {What}", what);
            // The close goes next, skipping what is queued: the client is behind already.
            Volatile.Write(ref closeAheadOfQueue, new Outgoing(null, CloseCodes.TryAgainLater, ShortEnough($"Too slow: {what}")));
            outgoing.Writer.TryComplete();
            _ = DisconnectUnlessClosedAsync();
        }

        /// <summary>A client that has not completed the close handshake in time (it reads nothing, say) is disconnected.</summary>
        private async Task DisconnectUnlessClosedAsync()
        {
            await Task.Delay(CloseHandshakeTimeout, CancellationToken.None);
            if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
                socket.Abort();
        }

        /// <summary>A close reason holds at most 123 bytes; a longer one (quoting what a client sent) would fail the close itself.</summary>
        private static string ShortEnough(string reason)
        {
            const int maxBytes = 123;
            const string ellipsis = "…";
            if (Encoding.UTF8.GetByteCount(reason) <= maxBytes)
                return reason;
            var end = Math.Min(reason.Length, maxBytes);
            while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, end)) > maxBytes - Encoding.UTF8.GetByteCount(ellipsis) || char.IsHighSurrogate(reason[end - 1]))
                end--;
            return reason[..end] + ellipsis;
        }

        private async Task SendLoopAsync()
        {
            try
            {
                await foreach (var queued in outgoing.Reader.ReadAllAsync(CancellationToken.None))
                {
                    if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                        return;
                    var message = Volatile.Read(ref closeAheadOfQueue) ?? queued;
                    if (message.Text is { } text)
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, http.RequestAborted);
                        continue;
                    }

                    await CloseOutputAsync(message);
                    return;
                }

                if (Volatile.Read(ref closeAheadOfQueue) is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await CloseOutputAsync(close);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                await closing.CancelAsync();
            }
        }

        private async Task CloseOutputAsync(Outgoing close)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)close.CloseCode!.Value, close.CloseReason, http.RequestAborted);
            await closing.CancelAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (countedToken is not null)
                Uncount(server.socketsPerToken, countedToken);
            if (countedAddress is not null)
                Uncount(server.socketsPerAddress, countedAddress);
            foreach (var id in operations.Keys)
            {
                if (operations.TryRemove(id, out var operation))
                    await operation.DisposeAsync();
            }
        }

        private sealed record Outgoing(string? Text, int? CloseCode, string? CloseReason);

        /// <summary>One subscribe message: a single result, or a stream of them until either side completes it.</summary>
        private sealed class Operation(Session session, string id) : IAsyncDisposable, IObserver<ExecutionResult>
        {
            private readonly CancellationTokenSource stopped = CancellationTokenSource.CreateLinkedTokenSource(session.closing.Token);

            /// <summary>Events resolved and waiting to be sent; one that finds it full closes the connection (see <see cref="FellBehind"/>).</summary>
            private readonly Channel<ExecutionResult> events = Channel.CreateBounded<ExecutionResult>(
                new BoundedChannelOptions(session.Limits.MaxQueuedEventsPerSubscription) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
                _ => session.FellBehind($"more than {session.Limits.MaxQueuedEventsPerSubscription} events of subscription '{id}' waited to be sent"));
            private AsyncServiceScope? scope;
            private IDisposable? subscription;

            public async Task StartAsync(GraphQLRequest request)
            {
                try
                {
                    scope = session.server.scopes.CreateAsyncScope();
                    var caller = new Caller(scope.Value.ServiceProvider, session.http.User, stopped.Token);
                    var outcome = await session.server.executor.ExecuteAsync(request, caller, Transport.WebSocket);
                    if (outcome.Status != StatusCodes.Status200OK)
                    {
                        Finish(() => session.SendErrors(id, outcome.Result.Errors ?? []));
                        return;
                    }

                    if (outcome.Result.Streams is not { Count: > 0 } streams)
                    {
                        Finish(() =>
                        {
                            session.SendResult(id, outcome.Result);
                            session.SendComplete(id);
                        });
                        return;
                    }

                    subscription = streams.Values.Single().Subscribe(this);
                    _ = DeliverAsync();
                }
                catch (OperationCanceledException) when (stopped.IsCancellationRequested)
                {
                    // Completed by the client, or the connection closed.
                }
                catch (Exception e)
                {
                    Fail(e);
                }
            }

            private async Task DeliverAsync()
            {
                try
                {
                    await foreach (var result in events.Reader.ReadAllAsync(stopped.Token))
                    {
                        if (!await session.TokenStillActiveAsync())
                            return;
                        await session.SendWhenRoomAsync(session.ResultMessage(id, result), stopped.Token);
                    }

                    Finish(() => session.SendComplete(id));
                }
                catch (OperationCanceledException) when (stopped.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    Fail(e);
                }
            }

            private void Fail(Exception e)
            {
                session.server.log.LogError(e, "WebSocket operation {Id} failed", id);
                Finish(() => session.SendErrors(id, [new ExecutionError("The operation failed.") { Code = ErrorCodes.InternalError }]));
            }

            /// <summary>Sends the last messages of an operation the client has not completed itself, and forgets it.</summary>
            private void Finish(Action send)
            {
                if (session.operations.TryRemove(new KeyValuePair<string, Operation>(id, this)))
                {
                    send();
                    _ = DisposeAsync().AsTask();
                }
            }

            public void OnNext(ExecutionResult value) => events.Writer.TryWrite(value);

            public void OnError(Exception error)
            {
                session.server.log.LogError(error, "The stream of WebSocket operation {Id} failed", id);
                events.Writer.TryWrite(new ExecutionResult { Errors = [new ExecutionError("The subscription's source failed.") { Code = ErrorCodes.InternalError }] });
                events.Writer.TryComplete();
            }

            public void OnCompleted() => events.Writer.TryComplete();

            public async ValueTask DisposeAsync()
            {
                subscription?.Dispose();
                events.Writer.TryComplete();
                await stopped.CancelAsync();
                if (scope is { } owned)
                    await owned.DisposeAsync();
                scope = null;
            }
        }
    }
}
