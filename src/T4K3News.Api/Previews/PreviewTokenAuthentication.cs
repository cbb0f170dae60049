using T4K3News.Api.Hosting;
using T4K3News.Content.Previews;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Previews;

/// <summary>The article a request's valid preview token shows in any status; set on the request's features.</summary>
public sealed record PreviewGrant(int ArticleId, int LinkId);

/// <summary>
/// <c>X-Preview-Token: &lt;token&gt;</c> on the GraphQL endpoint, after the bearer token and the rate limits (see
/// <see cref="EndpointProtection"/>). A live token grants its one article (<see cref="PreviewGrant"/>) and makes the
/// answer private: never cached anywhere, not indexed. Any other token ends the request with PREVIEW_TOKEN_INVALID,
/// never a quiet fall-back to what readers see, and counts against its address like an unknown bearer token.
/// </summary>
public sealed class PreviewTokenAuthentication(PreviewLinks links, ClientRateLimits rateLimits)
{
    public const string HeaderName = "X-Preview-Token";
    public const string InvalidCode = "PREVIEW_TOKEN_INVALID";

    /// <summary>Whether the request goes on; a refused one has its answer written.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext http)
    {
        // Shared caches must tell apart requests with and without a preview token, whatever the answer.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.Vary = string.IsNullOrEmpty(http.Response.Headers.Vary) ? HeaderName : $"{http.Response.Headers.Vary}, {HeaderName}";
            return Task.CompletedTask;
        });
        if (!http.Request.Headers.TryGetValue(HeaderName, out var values))
            return true;

        http.MarkPrivate();
        http.Response.Headers["X-Robots-Tag"] = "noindex";
        if (http.WebSockets.IsWebSocketRequest)
            return await RefuseAsync(http, "Preview tokens are read over HTTP GET and POST only, not on WebSocket connections.");
        if (values.Count != 1 || values[0] is not { Length: > 0 } token)
            return await RefuseAsync(http, "Send one preview token in X-Preview-Token.");
        if (!await rateLimits.AdmitTokenLookupAsync(http))
            return false;

        if (await links.FindLiveAsync(token.Trim(), http.RequestAborted) is { } link)
        {
            http.Features.Set(new PreviewGrant(link.ArticleId, link.Id));
            return true;
        }

        return await rateLimits.CountFailedTokenAsync(http)
            && await RefuseAsync(http, "The preview token is unknown, expired or revoked; ask the newsroom for a new link.");
    }

    private static async Task<bool> RefuseAsync(HttpContext http, string message)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.Headers.CacheControl = "no-store";
        var error = new { message, extensions = new { code = InvalidCode } };
        await response.WriteAsJsonAsync(new { errors = new[] { error } }, http.RequestAborted);
        return false;
    }
}
