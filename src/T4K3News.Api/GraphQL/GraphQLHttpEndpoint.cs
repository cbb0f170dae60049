using System.Security.Cryptography;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using T4K3News.Api.PersistedQueries;
using GraphQLParserApi = GraphQLParser.Parser;

namespace T4K3News.Api.GraphQL;

/// <summary>
/// GraphQL over HTTP (the GraphQL Foundation's draft spec): POST with application/json, GET for queries, answers in
/// application/graphql-response+json or application/json as the client accepts. Request errors and refused documents
/// never reach the executor; anonymous GET answers are cacheable with an ETag.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter<ContentSchema> executer,
    IGraphQLTextSerializer serializer,
    PersistedQueryStore persistedQueries,
    IOptions<GraphQLHttpOptions> options,
    ILogger<GraphQLHttpEndpoint> log)
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    private GraphQLHttpOptions Limits => options.Value;

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteAsync(http, JsonMediaType, Outcome.RequestError(StatusCodes.Status405MethodNotAllowed, "Use GET for queries or POST for any operation.", ErrorCodes.RequestMalformed));
            return;
        }

        if (isGet && Ide.BananaCakePop.WantsIde(request))
        {
            http.Response.Redirect($"{request.PathBase}{request.Path}/");
            return;
        }

        var mediaType = NegotiateMediaType(request);
        if (mediaType is null)
        {
            await WriteAsync(http, JsonMediaType, Outcome.RequestError(StatusCodes.Status406NotAcceptable,
                $"Accept {GraphQLResponseMediaType} or {JsonMediaType}.", ErrorCodes.NotAcceptable));
            return;
        }

        if (isGet)
        {
            var single = ReadQueryString(request, out var queryStringError);
            await WriteAsync(http, mediaType, single is null
                ? Outcome.RequestError(StatusCodes.Status400BadRequest, queryStringError!, ErrorCodes.RequestMalformed)
                : await ExecuteAsync(single, Caller.Of(http), Transport.HttpGet));
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await WriteAsync(http, mediaType, Outcome.RequestError(StatusCodes.Status415UnsupportedMediaType,
                "Send the request as 'Content-Type: application/json' (UTF-8).", ErrorCodes.UnsupportedMediaType));
            return;
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            await WriteAsync(http, mediaType, Outcome.RequestError(StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than {Limits.MaxBodyBytes} bytes.", ErrorCodes.BodyTooLarge));
            return;
        }

        var json = StrictJson.Parse(body.Value, out var problem);
        if (json is null)
        {
            await WriteAsync(http, mediaType, Outcome.RequestError(StatusCodes.Status400BadRequest, $"The body {problem}.", ErrorCodes.RequestMalformed));
            return;
        }

        using (json)
        {
            if (json.RootElement.ValueKind == JsonValueKind.Array)
                await ExecuteBatchAsync(http, mediaType, json.RootElement);
            else if (ReadBody(json.RootElement, out var error) is { } single)
                await WriteAsync(http, mediaType, await ExecuteAsync(single, Caller.Of(http), Transport.HttpPost));
            else
                await WriteAsync(http, mediaType, Outcome.RequestError(StatusCodes.Status400BadRequest, error!, ErrorCodes.RequestMalformed));
        }
    }

    /// <summary>The body, or null when it is larger than allowed; read with a cap, so a huge body is never held in memory.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > Limits.MaxBodyBytes)
            return null;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = Limits.MaxBodyBytes;

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > Limits.MaxBodyBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private async Task ExecuteBatchAsync(HttpContext http, string mediaType, JsonElement batch)
    {
        var count = batch.GetArrayLength();
        if (count == 0 || count > Limits.MaxBatchSize)
        {
            await WriteAsync(http, mediaType, Outcome.RequestError(StatusCodes.Status400BadRequest,
                $"A batch holds from 1 to {Limits.MaxBatchSize} operations; this one has {count}.", count == 0 ? ErrorCodes.RequestMalformed : ErrorCodes.BatchTooLarge));
            return;
        }

        var results = new List<ExecutionResult>(count);
        foreach (var element in batch.EnumerateArray())
        {
            var request = ReadBody(element, out var error);
            results.Add(request is null ? RequestError(error!, ErrorCodes.RequestMalformed) : (await ExecuteAsync(request, Caller.Of(http), Transport.HttpPost)).Result);
        }

        SetCaching(http, cacheable: false);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, results, http.RequestAborted);
    }

    /// <summary>Runs one request (over HTTP or a WebSocket) with the caller's services and identity.</summary>
    internal async Task<Outcome> ExecuteAsync(GraphQLHttpRequest request, Caller caller, Transport transport)
    {
        var isGet = transport == Transport.HttpGet;
        var (query, refusal, toRemember) = await ResolveDocumentAsync(request, caller.Cancellation);
        if (refusal is not null)
            return refusal;

        if (query!.Length > Limits.MaxDocumentLength)
            return Outcome.DocumentError(RequestError($"The document has {query.Length} characters; at most {Limits.MaxDocumentLength} are allowed.", ErrorCodes.DocumentTooLarge));

        GraphQLDocument document;
        try
        {
            document = GraphQLParserApi.Parse(query);
        }
        catch (GraphQLParserException e)
        {
            return Outcome.DocumentError(new ExecutionResult { Errors = [e is GraphQLSyntaxErrorException syntax ? new SyntaxError(syntax) : new ExecutionError(e.Message) { Code = ErrorCodes.SyntaxError }] });
        }

        var operation = FindOperation(document, request.OperationName);
        if (isGet && operation?.Operation is OperationType.Mutation or OperationType.Subscription)
            return Outcome.RequestError(StatusCodes.Status405MethodNotAllowed, "Only queries may be sent with GET; send mutations with POST.", ErrorCodes.MutationOverGet);
        if (transport != Transport.WebSocket && operation?.Operation == OperationType.Subscription)
            return Outcome.RequestError(StatusCodes.Status400BadRequest,
                "Subscriptions run over the WebSocket transport (graphql-transport-ws) at this same URL.", ErrorCodes.SubscriptionOverHttp);

        Inputs? variables, extensions;
        try
        {
            variables = serializer.ReadNode<Inputs>(request.Variables);
            extensions = serializer.ReadNode<Inputs>(request.Extensions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return Outcome.RequestError(StatusCodes.Status400BadRequest, "'variables' and 'extensions' must be JSON objects.", ErrorCodes.RequestMalformed);
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            Document = document,
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
        // A document sent with its hash is kept only now that it has parsed and validated (the executor ran it).
        if (toRemember && result.Executed)
            await persistedQueries.RememberAsync(query, caller.Cancellation);
        return result.Executed
            ? new Outcome(result, StatusCodes.Status200OK, Cacheable: isGet && operation?.Operation == OperationType.Query && result.Errors is null)
            : Outcome.DocumentError(result);
    }

    /// <summary>
    /// The document to run: sent as is, or named by its hash (Apollo's automatic persisted queries), as the mode allows;
    /// and whether to keep it for later requests by hash once it proves valid.
    /// </summary>
    private async Task<(string? Query, Outcome? Refusal, bool Remember)> ResolveDocumentAsync(GraphQLHttpRequest request, CancellationToken cancellationToken)
    {
        var mode = Limits.PersistedQueries;
        var allowListOnly = mode == PersistedQueryMode.AllowList;
        var hash = PersistedQueryHash(request.Extensions);
        if (hash is not null && mode == PersistedQueryMode.Off)
            return (null, Outcome.RequestError(StatusCodes.Status400BadRequest, "This server does not support persisted queries.", ErrorCodes.PersistedQueriesNotSupported), false);

        if (hash is null)
        {
            if (string.IsNullOrWhiteSpace(request.Query))
                return (null, Outcome.RequestError(StatusCodes.Status400BadRequest, "The request has no 'query'.", ErrorCodes.QueryMissing), false);
            if (allowListOnly && await persistedQueries.FindAsync(PersistedQueryStore.Hash(request.Query), registeredOnly: true, cancellationToken) is null)
                return (null, NotAllowed(), false);
            return (request.Query, null, false);
        }

        if (request.Query is null)
        {
            var known = await persistedQueries.FindAsync(hash, allowListOnly, cancellationToken);
            if (known is null)
                return (null, allowListOnly ? NotAllowed() : Outcome.DocumentError(RequestError("PersistedQueryNotFound", ErrorCodes.PersistedQueryNotFound)), false);
            return (known.Document, null, false);
        }

        if (PersistedQueryStore.Hash(request.Query) != hash)
            return (null, Outcome.RequestError(StatusCodes.Status400BadRequest, "The query does not have the sha256Hash sent with it.", ErrorCodes.PersistedQueryHashMismatch), false);
        if (allowListOnly)
            return await persistedQueries.FindAsync(hash, registeredOnly: true, cancellationToken) is null ? (null, NotAllowed(), false) : (request.Query, null, false);
        return (request.Query, null, true);

        Outcome NotAllowed() => Outcome.RequestError(StatusCodes.Status400BadRequest,
            "This server runs only registered operations, and this is not one of them.", ErrorCodes.PersistedQueryNotAllowed);
    }

    private static string? PersistedQueryHash(JsonElement? extensions) =>
        extensions is { } e && e.TryGetProperty("persistedQuery", out var persisted) && persisted.ValueKind == JsonValueKind.Object
            && persisted.TryGetProperty("sha256Hash", out var hash) && hash.ValueKind == JsonValueKind.String
            ? hash.GetString()!.ToLowerInvariant()
            : null;

    private async Task WriteAsync(HttpContext http, string mediaType, Outcome outcome)
    {
        // With plain JSON, a well-formed request whose document fails still answers 200 (GraphQL over HTTP, legacy clients).
        var status = mediaType == JsonMediaType && outcome.IsDocumentError ? StatusCodes.Status200OK : outcome.Status;
        if (status == StatusCodes.Status405MethodNotAllowed && !http.Response.Headers.ContainsKey("Allow"))
            http.Response.Headers.Allow = "POST";

        var body = serializer.Serialize(outcome.Result);
        var cacheable = outcome.Cacheable && HttpMethods.IsGet(http.Request.Method) && !IsEditor(http);
        SetCaching(http, cacheable);
        if (cacheable)
        {
            var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)))[..32]}\"";
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() == etag || tag.Trim() == "*")))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await http.Response.WriteAsync(body, http.RequestAborted);
    }

    private void SetCaching(HttpContext http, bool cacheable)
    {
        http.Response.Headers.Vary = "Accept, Authorization";
        http.Response.Headers.CacheControl = cacheable
            ? $"public, max-age={Limits.CacheMaxAgeSeconds}"
            : IsEditor(http) ? "private, no-store" : "no-store";
    }

    private static bool IsEditor(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true || http.Request.Headers.Authorization.Count > 0;

    private static GraphQLOperationDefinition? FindOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return string.IsNullOrEmpty(operationName)
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name is not null && o.Name.StringValue == operationName);
    }

    /// <summary>application/graphql-response+json when the client prefers it; application/json for application/json, */* or no Accept.</summary>
    private static string? NegotiateMediaType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0)
            return JsonMediaType;

        foreach (var candidate in accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var value = candidate.MediaType.Value ?? "";
            if (value.Equals(GraphQLResponseMediaType, StringComparison.OrdinalIgnoreCase))
                return GraphQLResponseMediaType;
            if (value.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) || value is "*/*" or "application/*")
                return JsonMediaType;
        }

        return null;
    }

    private static GraphQLHttpRequest? ReadQueryString(HttpRequest request, out string? error)
    {
        error = null;
        if (!StrictJson.IsUtf8WhenPercentDecoded(request.QueryString.Value))
        {
            error = "The query string is not UTF-8 text once percent-decoded.";
            return null;
        }

        var query = request.Query;
        JsonElement? variables = null, extensions = null;
        if (!TryReadJsonObject(query["variables"], "variables", ref variables, ref error) || !TryReadJsonObject(query["extensions"], "extensions", ref extensions, ref error))
            return null;
        return new GraphQLHttpRequest(NullIfEmpty(query["query"].FirstOrDefault()), NullIfEmpty(query["operationName"].FirstOrDefault()), variables, extensions);
    }

    private static bool TryReadJsonObject(string? text, string name, ref JsonElement? value, ref string? error)
    {
        if (string.IsNullOrEmpty(text))
            return true;
        using var document = StrictJson.Parse(text, out var problem);
        if (document?.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            error = document is null ? $"'{name}' {problem}." : $"'{name}' must be a JSON object.";
            return false;
        }

        if (document.RootElement.ValueKind is JsonValueKind.Object)
            value = document.RootElement.Clone();
        return true;
    }

    /// <summary>A request object: <c>query</c>, <c>operationName</c>, <c>variables</c>, <c>extensions</c>.</summary>
    internal static GraphQLHttpRequest? ReadBody(JsonElement body, out string? error)
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
                    operationName = NullIfEmpty(value.GetString());
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

        return new GraphQLHttpRequest(query, operationName, variables, extensions);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ExecutionResult RequestError(string message, string code) =>
        new() { Errors = [new ExecutionError(message) { Code = code }] };

    /// <summary>A result with its status; document errors (well-formed request, refused document) answer 200 in plain JSON.</summary>
    internal sealed record Outcome(ExecutionResult Result, int Status, bool Cacheable = false, bool IsDocumentError = false)
    {
        public static Outcome RequestError(int status, string message, string code) => new(GraphQLHttpEndpoint.RequestError(message, code), status);

        public static Outcome DocumentError(ExecutionResult result) => new(result, StatusCodes.Status400BadRequest, IsDocumentError: true);
    }
}

internal sealed record GraphQLHttpRequest(string? Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions);

internal enum Transport
{
    HttpGet,
    HttpPost,
    WebSocket,
}

/// <summary>Who asks, with which services, until when.</summary>
internal sealed record Caller(IServiceProvider Services, System.Security.Claims.ClaimsPrincipal User, CancellationToken Cancellation)
{
    public static Caller Of(HttpContext http) => new(http.RequestServices, http.User, http.RequestAborted);
}
