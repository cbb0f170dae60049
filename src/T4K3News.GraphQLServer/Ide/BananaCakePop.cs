using System.Net;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace T4K3News.GraphQLServer;

public sealed class BananaCakePopOptions
{
    public const string Section = "Ide";

    /// <summary>Serve the Banana Cake Pop GraphQL IDE under /graphql/.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Folder holding the IDE's index.html; relative paths start at the content root. Default: the build's
    /// .ide/node_modules/@chillicream/bananacakepop-graphql-ide, else the published ide/ folder.
    /// </summary>
    public string? Path { get; set; }
}

/// <summary>
/// Serves the self-hosted Banana Cake Pop IDE (restored from npm by BananaCakePop.targets) under {path}/. The GraphQL
/// endpoint itself stays at {path}; the IDE is configured to post there and to contact nothing else.
/// </summary>
public static class BananaCakePop
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new()
    {
        Mappings = { [".webmanifest"] = "application/manifest+json" },
    };

    /// <summary>A browser navigating to the endpoint, as opposed to a GraphQL client (which never asks for HTML).</summary>
    public static bool WantsIde(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("query"))
            return false;

        var configuration = request.HttpContext.RequestServices.GetService<IConfiguration>();
        if (configuration?.GetValue<bool?>($"{BananaCakePopOptions.Section}:{nameof(BananaCakePopOptions.Enabled)}") == false)
            return false;

        return request.GetTypedHeaders().Accept.Any(accept =>
            accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static WebApplication MapBananaCakePop(this WebApplication app, string path = "/graphql")
    {
        var options = app.Configuration.GetSection(BananaCakePopOptions.Section).Get<BananaCakePopOptions>() ?? new();
        if (!options.Enabled)
            return app;

        var root = ResolvePackageFolder(options, app.Environment.ContentRootPath);
        if (root is null)
            app.Logger.LogWarning("Banana Cake Pop is not installed; {Path}/ explains how to get it. Install Node.js/npm and rebuild.", path);

        var files = root is null ? null : new PhysicalFileProvider(root);
        var prefix = new PathString(path.TrimEnd('/'));

        // Middleware rather than endpoints: the GraphQL endpoint's route "/graphql" also matches "/graphql/", and only
        // GETs under "/graphql/" belong to the IDE. POSTs to "/graphql/" keep reaching the GraphQL endpoint.
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                || http.WebSockets.IsWebSocketRequest
                || !request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest)
                || !rest.HasValue)
            {
                await next(http);
                return;
            }

            var asset = rest.Value!.TrimStart('/');
            switch (asset)
            {
                case "" or "index.html" when request.Query.ContainsKey("query"):
                    await next(http);
                    return;
                case "" or "index.html":
                    await ServeIndexAsync(http, files, prefix);
                    return;
                // BCP fetches it relative to the page's full path (/graphql/index.html/bcp-config.json too), and
                // without it BCP turns its telemetry on.
                case var config when config == "bcp-config.json" || config.EndsWith("/bcp-config.json", StringComparison.Ordinal):
                    await ServeConfigAsync(http, prefix);
                    return;
                // BCP registers a worker by this name; the package's own would serve the IDE cache-first and pin an
                // old IDE after an upgrade. A 404 is a red error in every visitor's console, so it gets a worker that
                // caches and intercepts nothing.
                case "service-worker.js":
                    await ServePassThroughWorkerAsync(http);
                    return;
                default:
                    await ServeAssetAsync(http, files, asset);
                    return;
            }
        });

        return app;
    }

    private static string? ResolvePackageFolder(BananaCakePopOptions options, string contentRoot)
    {
        string[] candidates = options.Path is { Length: > 0 } configured
            ? [System.IO.Path.GetFullPath(configured, contentRoot)]
            :
            [
                System.IO.Path.Combine(contentRoot, ".ide", "node_modules", "@chillicream", "bananacakepop-graphql-ide"),
                System.IO.Path.Combine(AppContext.BaseDirectory, "ide"),
            ];

        return candidates.FirstOrDefault(folder => File.Exists(System.IO.Path.Combine(folder, "index.html")));
    }

    private static async Task ServeIndexAsync(HttpContext http, IFileProvider? files, PathString prefix)
    {
        http.Response.Headers.CacheControl = "no-cache";
        var index = files?.GetFileInfo("index.html");
        if (index is not { Exists: true, PhysicalPath: not null })
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(NotInstalledPage(http.Request.PathBase + prefix), http.RequestAborted);
            return;
        }

        await Results.File(index.PhysicalPath, "text/html; charset=utf-8").ExecuteAsync(http);
    }

    private static Task ServeConfigAsync(HttpContext http, PathString prefix)
    {
        http.Response.Headers.CacheControl = "no-cache";
        // Without an explicit endpoint BCP derives it from the page URL, which breaks for /graphql/index.html.
        // Telemetry (and Google Analytics, with no gaTrackingId) are the IDE's only calls home before anyone signs in.
        return Results.Json(new
        {
            useBrowserUrlAsEndpoint = true,
            endpoint = (http.Request.PathBase + prefix).Value,
            disableTelemetry = true,
        }).ExecuteAsync(http);
    }

    /// <summary>
    /// With no fetch handler the browser sends every request to the network, as with no worker at all. It takes over at
    /// once from a caching worker an older IDE may have left, and deletes that worker's caches for this scope.
    /// </summary>
    private const string PassThroughWorker = """
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', event => event.waitUntil(caches.keys().then(names => Promise.all(names
          .filter(name => name.startsWith('workbox-') && name.endsWith(self.registration.scope))
          .map(name => caches.delete(name))))));
        """;

    private static Task ServePassThroughWorkerAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Text(PassThroughWorker, "text/javascript", System.Text.Encoding.UTF8).ExecuteAsync(http);
    }

    private static async Task ServeAssetAsync(HttpContext http, IFileProvider? files, string asset)
    {
        var file = files?.GetFileInfo(asset);
        if (file is not { Exists: true, IsDirectory: false, PhysicalPath: not null })
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!ContentTypes.TryGetContentType(asset, out var contentType))
            contentType = "application/octet-stream";

        // Everything under static/ carries a content hash in its name.
        http.Response.Headers.CacheControl = asset.StartsWith("static/", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";

        var etag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        await Results.File(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: etag,
            enableRangeProcessing: true).ExecuteAsync(http);
    }

    private static string NotInstalledPage(PathString endpoint)
    {
        var path = WebUtility.HtmlEncode(endpoint.Value);
        return $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>GraphQL IDE not installed</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5}code{background:#eee;padding:0 .2em}</style>
            </head>
            <body>
            <h1>Banana Cake Pop is not installed</h1>
            <p>The GraphQL endpoint works: send queries with <code>POST {{path}}</code>.</p>
            <p>To get the GraphQL IDE here, install Node.js (with npm) and rebuild the API:
            <code>dotnet build src/T4K3News.Api</code>. The build restores
            <code>@chillicream/bananacakepop-graphql-ide</code> from npm into <code>src/T4K3News.Api/.ide/</code>;
            a published app serves it from its <code>ide/</code> folder.</p>
            </body>
            </html>
            """;
    }
}
