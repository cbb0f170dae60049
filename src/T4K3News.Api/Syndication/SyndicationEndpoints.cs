using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using T4K3News.Api.Hosting;
using T4K3News.Content;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Syndication;

/// <summary>
/// Feeds and sitemaps over plain HTTP, beside /graphql: what anonymous readers see, whoever asks, so every answer is
/// public and cacheable like an anonymous GraphQL GET, with an ETag and Last-Modified for conditional requests.
/// Rate limited as the GraphQL endpoint is.
/// </summary>
public static class SyndicationEndpoints
{
    public static IServiceCollection AddSyndication(this IServiceCollection services)
    {
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteOptions>, SiteOptionsValidation>();
        services.AddOptions<SyndicationLimits>();
        services.AddSingleton<SyndicationCache>();
        return services;
    }

    public static void MapSyndication(this WebApplication app)
    {
        foreach (var format in Enum.GetValues<FeedFormat>())
        {
            app.MapMethods($"/feeds/{Feeds.FileName(format)}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) =>
                    AnswerAsync(http, $"feed:{format}", Feeds.ContentType(format), async (db, site, limits, now, ct) =>
                    {
                        var (body, until) = await Feeds.MakeAsync(db, format, null, site, limits.FeedItems, now, ct);
                        return (StatusCodes.Status200OK, body, until, null);
                    }))
                .RequireRateLimitedAuthentication();

            app.MapMethods($"/feeds/tags/{{slug}}/{Feeds.FileName(format)}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, string slug) =>
                    AnswerAsync(http, $"tag-feed:{format}:{slug}", Feeds.ContentType(format), async (db, site, limits, now, ct) =>
                    {
                        // No tag has a slug that is not one (nor one with a NUL PostgreSQL cannot compare): no look-up.
                        var canonical = Content.Articles.Slug.Canonical(slug);
                        if (canonical.Length > Content.Tags.TagLimits.Slug || !Content.Articles.Slug.IsValid(canonical))
                            return (StatusCodes.Status404NotFound, [], DateTime.MaxValue, null);
                        var (tag, moved) = await Feeds.FindTagAsync(db, canonical, ct);
                        if (tag is null)
                            return (StatusCodes.Status404NotFound, [], DateTime.MaxValue, null);
                        // So does the slug in another case: slugs are lowercase.
                        if (moved || canonical != slug)
                            // A renamed or merged tag's old feed URL leads to its feed now; feed readers follow a 301 for good.
                            return (StatusCodes.Status301MovedPermanently, [], DateTime.MaxValue, $"/feeds/tags/{Uri.EscapeDataString(tag.Slug)}/{Feeds.FileName(format)}");
                        var (body, until) = await Feeds.MakeAsync(db, format, tag, site, limits.FeedItems, now, ct);
                        return (StatusCodes.Status200OK, body, until, null);
                    }))
                .RequireRateLimitedAuthentication();
        }

        app.MapMethods("/sitemap.xml", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) =>
                AnswerAsync(http, "sitemap", Sitemaps.ContentType, async (db, site, limits, now, ct) =>
                {
                    var (body, until) = await Sitemaps.MakeAsync(db, site, limits.SitemapPageSize, now, ct);
                    return (StatusCodes.Status200OK, body, until, null);
                }))
            .RequireRateLimitedAuthentication();

        app.MapMethods("/sitemaps/{page:int}.xml", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, int page) =>
                AnswerAsync(http, $"sitemap-page:{page}", Sitemaps.ContentType, async (db, site, limits, now, ct) =>
                    await Sitemaps.MakePageAsync(db, site, limits.SitemapPageSize, page, now, ct) is { } made
                        ? (StatusCodes.Status200OK, made.Body, made.ValidUntil, null)
                        : (StatusCodes.Status404NotFound, [], DateTime.MaxValue, null)))
            .RequireRateLimitedAuthentication();

        app.MapMethods("/sitemap-news.xml", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) =>
                AnswerAsync(http, "sitemap-news", Sitemaps.ContentType, async (db, site, limits, now, ct) =>
                {
                    var (body, until) = await Sitemaps.MakeNewsAsync(db, site, limits.NewsSitemapItems, limits.NewsWindow, now, ct);
                    return (StatusCodes.Status200OK, body, until, null);
                }))
            .RequireRateLimitedAuthentication();
    }

    private delegate Task<(int Status, byte[] Body, DateTime ValidUntil, string? Location)> Make(
        ContentDbContext db, SiteOptions site, SyndicationLimits limits, DateTime now, CancellationToken cancellationToken);

    private static async Task AnswerAsync(HttpContext http, string key, string contentType, Make make)
    {
        var services = http.RequestServices;
        var cache = services.GetRequiredService<SyndicationCache>();
        if (!cache.TryGet(key, out var document))
        {
            var generation = cache.Generation;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            (int Status, byte[] Body, DateTime ValidUntil, string? Location) made;
            try
            {
                await using var db = await services.GetRequiredService<IDbContextFactory<ContentDbContext>>().CreateDbContextAsync(http.RequestAborted);
                made = await make(
                    db, services.GetRequiredService<IOptions<SiteOptions>>().Value, services.GetRequiredService<IOptions<SyndicationLimits>>().Value, now, http.RequestAborted);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException && !http.RequestAborted.IsCancellationRequested)
            {
                // An outage, not the client's doing: it may ask again shortly.
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SyndicationEndpoints)).LogWarning(e, "Could not make {Document}", key);
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "5";
                return;
            }

            var (status, body, validUntil, location) = made;
            if (status == StatusCodes.Status404NotFound)
            {
                // Not kept: anyone can ask for any number of unknown tags.
                http.Response.StatusCode = status;
                return;
            }

            document = cache.Store(key, status, body, contentType, validUntil, generation, location);
        }

        var response = http.Response;
        if (document.Status == StatusCodes.Status301MovedPermanently)
        {
            response.Headers.CacheControl = $"public, max-age={MaxAge(http)}";
            response.Redirect(document.Location!, permanent: true);
            return;
        }

        response.Headers.CacheControl = $"public, max-age={MaxAge(http)}";
        response.Headers.ETag = document.ETag;
        response.Headers.LastModified = document.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (NotModified(http.Request, document))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = document.ContentType;
        response.ContentLength = document.Body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await response.Body.WriteAsync(document.Body, http.RequestAborted);
    }

    /// <summary>If-None-Match decides when it is there (RFC 9110 13.2.2); else If-Modified-Since, to the second.</summary>
    private static bool NotModified(HttpRequest request, SyndicationDocument document)
    {
        var headers = request.GetTypedHeaders();
        if (request.Headers.IfNoneMatch.Count > 0)
            return headers.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(EntityTagHeaderValue.Parse(document.ETag), useStrongComparison: false));
        return headers.IfModifiedSince is { } since && document.LastModified <= since;
    }

    private static int MaxAge(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<GraphQLServerOptions>>().Value.CacheMaxAgeSeconds;
}
