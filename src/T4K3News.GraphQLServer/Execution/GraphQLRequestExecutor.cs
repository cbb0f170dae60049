using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;
using T4K3News.GraphQLServer.Telemetry;

namespace T4K3News.GraphQLServer;

/// <summary>
/// The one way a request runs, whichever transport brought it (HTTP GET or POST, a WebSocket message): the document is
/// resolved (sent, or named by a persisted-query hash), bounded, parsed, checked against the transport, then run by
/// GraphQL.NET with every validation rule and limit. Transports only frame requests and answers.
/// </summary>
public sealed class GraphQLRequestExecutor(
    IDocumentExecuter executer,
    ISchema schema,
    IGraphQLTextSerializer serializer,
    IPersistedQueryStore persistedQueries,
    ResponseCache responseCache,
    ParsedDocuments parsed,
    IOptions<GraphQLServerOptions> options,
    ILogger<GraphQLRequestExecutor> log,
    IResponseCacheInvalidation? cacheInvalidation = null)
{
    private GraphQLServerOptions Limits => options.Value;

    private int repeatedAnswers;

    /// <summary>How many requests were answered by a <see cref="RepeatPlan"/> without GraphQL.NET, for the tests.</summary>
    public int RepeatedAnswers => repeatedAnswers;

    /// <summary>Runs one request (over HTTP or a WebSocket) with the caller's services and identity.</summary>
    public Task<ExecutionOutcome> ExecuteAsync(GraphQLRequest request, Caller caller, Transport transport)
    {
        // While no OpenTelemetry SDK listens, the request runs as if there were no telemetry at all.
        return GraphQLTelemetry.IsListening ? ObservedAsync() : RunAsync(request, caller, transport, null);

        // The span starts inside an async method, so it is the current one for this operation only, not for the caller.
        async Task<ExecutionOutcome> ObservedAsync()
        {
            var telemetry = GraphQLTelemetry.StartOperation();
            try
            {
                var outcome = await RunAsync(request, caller, transport, telemetry);
                telemetry.Complete(outcome.Result);
                return outcome;
            }
            catch (Exception e)
            {
                telemetry.Fail(e);
                throw;
            }
        }
    }

    private async Task<ExecutionOutcome> RunAsync(GraphQLRequest request, Caller caller, Transport transport, GraphQLTelemetry.OperationTelemetry? telemetry)
    {
        var isGet = transport == Transport.HttpGet;
        var (query, refusal, toRemember) = await ResolveDocumentAsync(request, caller.Cancellation);
        if (refusal is not null)
            return refusal;

        if (query!.Length > Limits.MaxDocumentLength)
            return ExecutionOutcome.DocumentError(RequestError($"The document has {query.Length} characters; at most {Limits.MaxDocumentLength} are allowed.", ErrorCodes.DocumentTooLarge));

        // Only successful queries are kept, so a hit needs no parsing: the same document and name are the same query.
        var cacheKey = caller.Anonymous && responseCache.IsActive ? ResponseKey.Of(query, request.OperationName, request.Variables) : (ResponseKey?)null;
        if (cacheKey is { } key && responseCache.TryGet(key, out var cached))
        {
            if (toRemember)
                await persistedQueries.RememberAsync(query, caller.Cancellation);
            return new ExecutionOutcome(cached.ToResult(), StatusCodes.Status200OK, Cacheable: isGet, Serialized: cached);
        }

        var cacheGeneration = responseCache.Generation;

        GraphQLDocument? document;
        ParsedDocument entry;
        try
        {
            // Front ends send the same few documents again and again; each is parsed once (the syntax tree is never
            // changed), and once it has passed GraphQL's own validation it is not validated against the schema again, as
            // GraphQL.NET's document cache does: those rules depend on the document alone. The limits, which depend on
            // the variables too (input sizes, cost), still run every time.
            entry = parsed.Parse(query);
            document = entry.Document;
        }
        catch (GraphQLParserException e)
        {
            return ExecutionOutcome.DocumentError(new ExecutionResult { Errors = [e is GraphQLSyntaxErrorException syntax ? new SyntaxError(syntax) : new ExecutionError(e.Message) { Code = ErrorCodes.SyntaxError }] });
        }

        var operation = FindOperation(document, request.OperationName);
        telemetry?.Describe(operation);
        if (isGet && operation?.Operation is OperationType.Mutation or OperationType.Subscription)
            return ExecutionOutcome.RequestError(StatusCodes.Status405MethodNotAllowed, "Only queries may be sent with GET; send mutations with POST.", ErrorCodes.MutationOverGet);
        if (transport != Transport.WebSocket && operation?.Operation == OperationType.Subscription)
            return ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest,
                "Subscriptions run over the WebSocket transport (graphql-transport-ws) at this same URL.", ErrorCodes.SubscriptionOverHttp);

        var repeatable = caller.Anonymous && telemetry is null && !toRemember && operation?.Operation == OperationType.Query;
        if (repeatable && entry.Valid && entry.Repeat is { } repeat && repeat.OperationName == request.OperationName
            && await repeat.Plan.TryAnswerAsync(document, operation!, request.Variables, Limits.ExecutionTimeout, caller.Cancellation) is { } repeated)
        {
            Interlocked.Increment(ref repeatedAnswers);
            return Answered(repeated);
        }

        Inputs? variables, extensions;
        try
        {
            variables = serializer.ReadNode<Inputs>(request.Variables);
            extensions = serializer.ReadNode<Inputs>(request.Extensions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, "'variables' and 'extensions' must be JSON objects.", ErrorCodes.RequestMalformed);
        }

        var recorder = repeatable && entry.Repeat is null && RepeatPlan.StringVariables(operation!) is not null ? new RepeatPlan.Recorder() : null;
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            UserContext = recorder is null
                ? new Dictionary<string, object?> { [ParsedDocuments.Slot] = entry }
                : new Dictionary<string, object?> { [ParsedDocuments.Slot] = entry, [RepeatPlan.Slot] = recorder },
            Schema = schema,
            Query = query,
            Document = document,
            // The core rules are schema checks of the document alone; the host's limits and the cost analysis are added
            // to this list by their registrations on every execution.
            ValidationRules = entry.Valid ? [] : null,
            OperationName = request.OperationName,
            Variables = variables,
            Extensions = extensions,
            RequestServices = caller.Services,
            User = caller.User,
            CancellationToken = caller.Cancellation,
            // A subscription lives as long as its client wants; each of its events is a short execution of its own.
            Timeout = operation?.Operation == OperationType.Subscription ? System.Threading.Timeout.InfiniteTimeSpan : Limits.ExecutionTimeout,
            TimeoutAction = TimeoutAction.ReturnTimeoutError,
            UnhandledExceptionDelegate = context =>
            {
                log.LogError(context.OriginalException, "GraphQL field {Field} failed", context.FieldContext?.FieldDefinition.Name);
                return Task.CompletedTask;
            },
        });
        if (result.Executed)
            entry.Valid = true;
        if (recorder?.Plan is { } recorded && result.Executed && result.Errors is null)
            entry.Repeat = new RepeatedOperation(request.OperationName, recorded);
        // A document sent with its hash is kept only now that it has parsed and validated (the executor ran it).
        if (toRemember && result.Executed)
            await persistedQueries.RememberAsync(query, caller.Cancellation);
        if (!result.Executed)
            return ExecutionOutcome.DocumentError(result);
        // A mutation answers once this instance's cache has forgotten what it changed, so that its client reads its writes.
        // A caller with no identity was refused every mutation field: nothing was written, there is nothing to catch up on.
        if (operation?.Operation == OperationType.Mutation && !caller.Anonymous && responseCache.IsActive && cacheInvalidation is not null)
            await cacheInvalidation.CaughtUpAsync(caller.Cancellation);
        return Answered(result);

        ExecutionOutcome Answered(ExecutionResult result)
        {
            var serialized = cacheKey is { } storeKey && operation?.Operation == OperationType.Query ? responseCache.Store(storeKey, result, cacheGeneration) : null;
            return new ExecutionOutcome(result, StatusCodes.Status200OK, Cacheable: isGet && operation?.Operation == OperationType.Query && result.Errors is null, Serialized: serialized);
        }
    }

    /// <summary>
    /// The document to run: sent as is, or named by its hash (Apollo's automatic persisted queries), as the mode allows;
    /// and whether to keep it for later requests by hash once it proves valid.
    /// </summary>
    private async Task<(string? Query, ExecutionOutcome? Refusal, bool Remember)> ResolveDocumentAsync(GraphQLRequest request, CancellationToken cancellationToken)
    {
        var mode = Limits.PersistedQueries;
        var allowListOnly = mode == PersistedQueryMode.AllowList;
        var hash = HashSentWith(request.Extensions);
        if (hash is not null && mode == PersistedQueryMode.Off)
            return (null, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, "This server does not support persisted queries.", ErrorCodes.PersistedQueriesNotSupported), false);

        if (hash is null)
        {
            if (string.IsNullOrWhiteSpace(request.Query))
                return (null, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, "The request has no 'query'.", ErrorCodes.QueryMissing), false);
            if (allowListOnly && await persistedQueries.FindAsync(PersistedQueryHash.Of(request.Query), registeredOnly: true, cancellationToken) is null)
                return (null, NotAllowed(), false);
            return (request.Query, null, false);
        }

        if (request.Query is null)
        {
            var known = await persistedQueries.FindAsync(hash, allowListOnly, cancellationToken);
            if (known is null)
                return (null, allowListOnly ? NotAllowed() : ExecutionOutcome.DocumentError(RequestError("PersistedQueryNotFound", ErrorCodes.PersistedQueryNotFound)), false);
            return (known, null, false);
        }

        if (PersistedQueryHash.Of(request.Query) != hash)
            return (null, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, "The query does not have the sha256Hash sent with it.", ErrorCodes.PersistedQueryHashMismatch), false);
        if (allowListOnly)
            return await persistedQueries.FindAsync(hash, registeredOnly: true, cancellationToken) is null ? (null, NotAllowed(), false) : (request.Query, null, false);
        return (request.Query, null, true);

        ExecutionOutcome NotAllowed() => ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest,
            "This server runs only registered operations, and this is not one of them.", ErrorCodes.PersistedQueryNotAllowed);
    }

    private static string? HashSentWith(JsonElement? extensions) =>
        extensions is { } e && e.TryGetProperty("persistedQuery", out var persisted) && persisted.ValueKind == JsonValueKind.Object
            && persisted.TryGetProperty("sha256Hash", out var hash) && hash.ValueKind == JsonValueKind.String
            ? hash.GetString()!.ToLowerInvariant()
            : null;

    private static GraphQLOperationDefinition? FindOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return string.IsNullOrEmpty(operationName)
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name is not null && o.Name.StringValue == operationName);
    }

    internal static ExecutionResult RequestError(string message, string code) =>
        new() { Errors = [new ExecutionError(message) { Code = code }] };

}

/// <summary>
/// A result with its status; document errors (well-formed request, refused document) answer 200 in plain JSON.
/// <paramref name="Serialized"/>, when set, is the result already serialized (from or for the response cache).
/// </summary>
public sealed record ExecutionOutcome(ExecutionResult Result, int Status, bool Cacheable = false, bool IsDocumentError = false, CachedResponse? Serialized = null)
{
    public static ExecutionOutcome RequestError(int status, string message, string code) => new(GraphQLRequestExecutor.RequestError(message, code), status);

    public static ExecutionOutcome DocumentError(ExecutionResult result) => new(result, StatusCodes.Status400BadRequest, IsDocumentError: true);
}

/// <summary>What a client asks: <c>query</c>, <c>operationName</c>, <c>variables</c>, <c>extensions</c>, as the transports read them.</summary>
public sealed record GraphQLRequest(string? Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions)
{
    /// <summary>A request object: <c>query</c>, <c>operationName</c>, <c>variables</c>, <c>extensions</c>.</summary>
    public static GraphQLRequest? Read(JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object (or an array of them for a batch).";
            return null;
        }

        string? query = null, operationName = null;
        JsonElement? variables = null, extensions = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "query" when value.ValueKind is JsonValueKind.String:
                    query = value.GetString();
                    break;
                case "operationName" when value.ValueKind is JsonValueKind.String:
                    operationName = value.GetString() is { Length: > 0 } name ? name : null;
                    break;
                case "variables" when value.ValueKind is JsonValueKind.Object:
                    variables = value;
                    break;
                case "extensions" when value.ValueKind is JsonValueKind.Object:
                    extensions = value;
                    break;
                case "query" or "operationName" or "variables" or "extensions" when value.ValueKind is JsonValueKind.Null:
                    break;
                case "query" or "operationName":
                    error = $"'{property.Name}' must be a string.";
                    return null;
                case "variables" or "extensions":
                    error = $"'{property.Name}' must be a JSON object.";
                    return null;
            }
        }

        return new GraphQLRequest(query, operationName, variables, extensions);
    }
}

public enum Transport
{
    HttpGet,
    HttpPost,
    WebSocket,
}

/// <summary>Who asks, with which services, until when; <paramref name="Anonymous"/>: with no credentials at all, sent or checked.</summary>
public sealed record Caller(IServiceProvider Services, System.Security.Claims.ClaimsPrincipal User, CancellationToken Cancellation, bool Anonymous = false)
{
    public static Caller Of(HttpContext http) => new(http.RequestServices, http.User, http.RequestAborted,
        Anonymous: http.User.Identity?.IsAuthenticated != true && !http.IsMarkedPrivate()
            && (http.Request.Headers.Authorization.Count == 0 || http.IsMarkedReader()));
}
