using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using GraphQLParserApi = GraphQLParser.Parser;

namespace T4K3News.Api.GraphQL;

/// <summary>
/// GraphQL over HTTP (the GraphQL Foundation's draft spec): POST with application/json, GET for queries, answers in
/// application/graphql-response+json or application/json as the client accepts. Request errors never reach the executor.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter<ContentSchema> executer,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLHttpOptions> options,
    ILogger<GraphQLHttpEndpoint> log)
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteRequestErrorAsync(http, StatusCodes.Status405MethodNotAllowed, JsonMediaType, "Use GET for queries or POST for any operation.", ErrorCodes.RequestMalformed);
            return;
        }

        if (Ide.BananaCakePop.WantsIde(request))
        {
            http.Response.Redirect($"{request.PathBase}{request.Path}/");
            return;
        }

        var mediaType = NegotiateMediaType(request);
        if (mediaType is null)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status406NotAcceptable, JsonMediaType,
                $"Accept {GraphQLResponseMediaType} or {JsonMediaType}.", ErrorCodes.NotAcceptable);
            return;
        }

        if (isGet)
        {
            var single = ReadQueryString(request.Query, out var queryStringError);
            if (single is null)
            {
                await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, queryStringError!, ErrorCodes.RequestMalformed);
                return;
            }

            await ExecuteAndWriteAsync(http, mediaType, single, isGet: true);
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, mediaType,
                "Send the request as 'Content-Type: application/json' (UTF-8).", ErrorCodes.UnsupportedMediaType);
            return;
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 64 }, http.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, $"The body is not valid JSON: {e.Message}", ErrorCodes.RequestMalformed);
            return;
        }

        using (body)
        {
            if (body.RootElement.ValueKind == JsonValueKind.Array)
                await ExecuteBatchAsync(http, mediaType, body.RootElement);
            else if (ReadBody(body.RootElement, out var error) is { } single)
                await ExecuteAndWriteAsync(http, mediaType, single, isGet: false);
            else
                await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, error!, ErrorCodes.RequestMalformed);
        }
    }

    private async Task ExecuteBatchAsync(HttpContext http, string mediaType, JsonElement batch)
    {
        var count = batch.GetArrayLength();
        if (count == 0 || count > options.Value.MaxBatchSize)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, mediaType,
                $"A batch holds from 1 to {options.Value.MaxBatchSize} operations; this one has {count}.", ErrorCodes.RequestMalformed);
            return;
        }

        var results = new List<ExecutionResult>(count);
        foreach (var element in batch.EnumerateArray())
        {
            var request = ReadBody(element, out var error);
            results.Add(request is null ? RequestError(error!, ErrorCodes.RequestMalformed) : (await ExecuteAsync(http, request, isGet: false)).Result);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, results, http.RequestAborted);
    }

    private async Task ExecuteAndWriteAsync(HttpContext http, string mediaType, GraphQLHttpRequest request, bool isGet)
    {
        var (result, status) = await ExecuteAsync(http, request, isGet);
        if (status == StatusCodes.Status405MethodNotAllowed)
            http.Response.Headers.Allow = "POST";
        else if (mediaType == JsonMediaType && status == StatusCodes.Status400BadRequest && result.Errors is not null && request.Query is not null)
            status = StatusCodes.Status200OK; // application/json keeps 200 for well-formed requests whose document fails
        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private async Task<(ExecutionResult Result, int Status)> ExecuteAsync(HttpContext http, GraphQLHttpRequest request, bool isGet)
    {
        if (string.IsNullOrWhiteSpace(request.Query))
            return (RequestError("The request has no 'query'.", ErrorCodes.QueryMissing), StatusCodes.Status400BadRequest);

        GraphQLDocument document;
        try
        {
            document = GraphQLParserApi.Parse(request.Query);
        }
        catch (GraphQLSyntaxErrorException e)
        {
            return (new ExecutionResult { Errors = [new SyntaxError(e)] }, StatusCodes.Status400BadRequest);
        }

        var operation = FindOperation(document, request.OperationName);
        if (isGet && operation?.Operation is OperationType.Mutation or OperationType.Subscription)
            return (RequestError("Only queries may be sent with GET; send mutations with POST.", ErrorCodes.MutationOverGet), StatusCodes.Status405MethodNotAllowed);

        Inputs? variables, extensions;
        try
        {
            variables = serializer.ReadNode<Inputs>(request.Variables);
            extensions = serializer.ReadNode<Inputs>(request.Extensions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (RequestError("'variables' and 'extensions' must be JSON objects.", ErrorCodes.RequestMalformed), StatusCodes.Status400BadRequest);
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            Document = document,
            OperationName = request.OperationName,
            Variables = variables,
            Extensions = extensions,
            RequestServices = http.RequestServices,
            User = http.User,
            CancellationToken = http.RequestAborted,
            UnhandledExceptionDelegate = context =>
            {
                log.LogError(context.OriginalException, "GraphQL field {Field} failed", context.FieldContext?.FieldDefinition.Name);
                return Task.CompletedTask;
            },
        });
        return (result, result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static GraphQLOperationDefinition? FindOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return string.IsNullOrEmpty(operationName)
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name is not null && o.Name.StringValue == operationName);
    }

    /// <summary>application/graphql-response+json when the client lists it first or alone; application/json for application/json, */* or no Accept.</summary>
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

    private static GraphQLHttpRequest? ReadQueryString(IQueryCollection query, out string? error)
    {
        error = null;
        JsonElement? variables = null, extensions = null;
        if (!TryReadJsonObject(query["variables"], "variables", ref variables, ref error) || !TryReadJsonObject(query["extensions"], "extensions", ref extensions, ref error))
            return null;
        return new GraphQLHttpRequest(query["query"].FirstOrDefault(), NullIfEmpty(query["operationName"].FirstOrDefault()), variables, extensions);
    }

    private static bool TryReadJsonObject(string? text, string name, ref JsonElement? value, ref string? error)
    {
        if (string.IsNullOrEmpty(text))
            return true;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind is JsonValueKind.Object)
                value = document.RootElement.Clone();
            else if (document.RootElement.ValueKind is not JsonValueKind.Null)
                throw new JsonException();
            return true;
        }
        catch (JsonException)
        {
            error = $"'{name}' must be a JSON object.";
            return false;
        }
    }

    private static GraphQLHttpRequest? ReadBody(JsonElement body, out string? error)
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

    private async Task WriteRequestErrorAsync(HttpContext http, int status, string mediaType, string message, string code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, RequestError(message, code), http.RequestAborted);
    }

    private sealed record GraphQLHttpRequest(string? Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions);
}
