using System.Security.Cryptography;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace T4K3News.GraphQLServer;

/// <summary>
/// GraphQL over HTTP (the GraphQL Foundation's draft spec): POST with application/json, GET for queries, answers in
/// application/graphql-response+json or application/json as the client accepts. Request errors and refused documents
/// never reach the executor; anonymous GET answers are cacheable with an ETag.
/// </summary>
public sealed class GraphQLHttpEndpoint(GraphQLRequestExecutor executor, IGraphQLTextSerializer serializer, IOptions<GraphQLServerOptions> options)
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    private GraphQLServerOptions Limits => options.Value;

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteAsync(http, JsonMediaType, ExecutionOutcome.RequestError(StatusCodes.Status405MethodNotAllowed, "Use GET for queries or POST for any operation.", ErrorCodes.RequestMalformed));
            return;
        }

        if (isGet && BananaCakePop.WantsIde(request))
        {
            http.Response.Redirect($"{request.PathBase}{request.Path}/");
            return;
        }

        var mediaType = NegotiateMediaType(request);
        if (mediaType is null)
        {
            await WriteAsync(http, JsonMediaType, ExecutionOutcome.RequestError(StatusCodes.Status406NotAcceptable,
                $"Accept {GraphQLResponseMediaType} or {JsonMediaType}.", ErrorCodes.NotAcceptable));
            return;
        }

        if (isGet)
        {
            var single = ReadQueryString(request, out var queryStringError);
            await WriteAsync(http, mediaType, single is null
                ? ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, queryStringError!, ErrorCodes.RequestMalformed)
                : await executor.ExecuteAsync(single, Caller.Of(http), Transport.HttpGet));
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await WriteAsync(http, mediaType, ExecutionOutcome.RequestError(StatusCodes.Status415UnsupportedMediaType,
                "Send the request as 'Content-Type: application/json' (UTF-8).", ErrorCodes.UnsupportedMediaType));
            return;
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            await WriteAsync(http, mediaType, ExecutionOutcome.RequestError(StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than {Limits.MaxBodyBytes} bytes.", ErrorCodes.BodyTooLarge));
            return;
        }

        var json = StrictJson.Parse(body.Value, out var problem);
        if (json is null)
        {
            await WriteAsync(http, mediaType, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, $"The body {problem}.", ErrorCodes.RequestMalformed));
            return;
        }

        using (json)
        {
            if (json.RootElement.ValueKind == JsonValueKind.Array)
                await ExecuteBatchAsync(http, mediaType, json.RootElement);
            else if (GraphQLRequest.Read(json.RootElement, out var error) is { } single)
                await WriteAsync(http, mediaType, await executor.ExecuteAsync(single, Caller.Of(http), Transport.HttpPost));
            else
                await WriteAsync(http, mediaType, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, error!, ErrorCodes.RequestMalformed));
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
            await WriteAsync(http, mediaType, ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest,
                $"A batch holds from 1 to {Limits.MaxBatchSize} operations; this one has {count}.", count == 0 ? ErrorCodes.RequestMalformed : ErrorCodes.BatchTooLarge));
            return;
        }

        var results = new List<ExecutionResult>(count);
        foreach (var element in batch.EnumerateArray())
        {
            var request = GraphQLRequest.Read(element, out var error);
            results.Add(request is null ? ExecutionOutcome.RequestError(StatusCodes.Status400BadRequest, error!, ErrorCodes.RequestMalformed).Result : (await executor.ExecuteAsync(request, Caller.Of(http), Transport.HttpPost)).Result);
        }

        SetCaching(http, cacheable: false);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, results, http.RequestAborted);
    }

    private async Task WriteAsync(HttpContext http, string mediaType, ExecutionOutcome outcome)
    {
        // With plain JSON, a well-formed request whose document fails still answers 200 (GraphQL over HTTP, legacy clients).
        var status = mediaType == JsonMediaType && outcome.IsDocumentError ? StatusCodes.Status200OK : outcome.Status;
        if (status == StatusCodes.Status405MethodNotAllowed && !http.Response.Headers.ContainsKey("Allow"))
            http.Response.Headers.Allow = "POST";

        var cacheable = outcome.Cacheable && HttpMethods.IsGet(http.Request.Method) && !IsEditor(http);
        SetCaching(http, cacheable);
        if (outcome.Serialized is null && !cacheable)
        {
            // Nothing to hash: the answer is serialized straight into the response, without a string of it in between.
            http.Response.StatusCode = status;
            http.Response.ContentType = $"{mediaType}; charset=utf-8";
            await serializer.WriteAsync(http.Response.Body, outcome.Result, http.RequestAborted);
            return;
        }

        // An answer from the response cache is written as it was kept: no serialization, no hashing.
        var body = outcome.Serialized?.Body ?? System.Text.Encoding.UTF8.GetBytes(serializer.Serialize(outcome.Result));
        if (cacheable)
        {
            var etag = outcome.Serialized?.ETag ?? $"W/\"{Convert.ToHexStringLower(SHA256.HashData(body.Span))[..32]}\"";
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() == etag || tag.Trim() == "*")))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    private void SetCaching(HttpContext http, bool cacheable)
    {
        http.Response.Headers.Vary = "Accept, Authorization";
        http.Response.Headers.CacheControl = cacheable
            ? $"{(http.IsMarkedReader() ? "private" : "public")}, max-age={Limits.CacheMaxAgeSeconds}"
            : IsEditor(http) ? "private, no-store" : "no-store";
    }

    private static bool IsEditor(HttpContext http) => http.IsMarkedPrivate() || (!http.IsMarkedReader()
        && (http.User.Identity?.IsAuthenticated == true || http.Request.Headers.Authorization.Count > 0));

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

    private static GraphQLRequest? ReadQueryString(HttpRequest request, out string? error)
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
        return new GraphQLRequest(NullIfEmpty(query["query"].FirstOrDefault()), NullIfEmpty(query["operationName"].FirstOrDefault()), variables, extensions);
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;


}

