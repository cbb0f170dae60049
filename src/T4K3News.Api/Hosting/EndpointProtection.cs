using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Http;

namespace T4K3News.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests an anonymous client (by IP address) may make per window.</summary>
    public int AnonymousPermitLimit { get; set; } = 600;

    /// <summary>Requests one editor's token may make per window; also what one address may send with tokens, before they are looked up.</summary>
    public int EditorPermitLimit { get; set; } = 6_000;

    /// <summary>
    /// Requests one reader's (delivery) token may make per window, whatever address sends them: a server-rendered front
    /// end sends its readers' requests from one address. Before the lookup an address may send this many with tokens
    /// too.
    /// </summary>
    public int ReaderTokenPermitLimit { get; set; } = 6_000;

    /// <summary>Requests with a token that turns out unknown, revoked or expired one address may send per window; then its tokens are refused unread.</summary>
    public int InvalidTokenPermitLimit { get; set; } = 60;

    /// <summary>WebSocket connection attempts (upgrade requests) one address may make per window, on top of its request limit.</summary>
    public int WebSocketConnectPermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class CorsOptions
{
    public const string Section = "Cors";

    /// <summary>The front-end origins browsers may call the API from, e.g. "https://www.t4k3.news"; none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies or load balancers in front of the server, e.g. "10.0.0.5".</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation, e.g. "10.0.0.0/8".</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Configured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Rate limits around authentication (see <see cref="ClientRateLimits"/>), CORS for the front ends, and the
/// client address taken from X-Forwarded-For, but only when a configured proxy sent it: anyone else could forge it.
/// </summary>
public static class EndpointProtection
{
    public static IServiceCollection AddEndpointProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<ClientRateLimits>();

        var proxies = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through X-Forwarded-For while the hop that added an address is a trusted proxy (CDN, then load balancer, ...).
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownProxies: '{proxy}' is not an IP address."));
            foreach (var network in proxies.KnownNetworks)
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownNetworks: '{network}' is not a network in CIDR notation (like 10.0.0.0/8)."));
        });

        var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IHostEnvironment>(
            (cors, environment) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. origins, .. DevelopmentFrontEnd(environment, configuration)])
                .WithMethods("GET", "POST")
                .WithHeaders("Authorization", "Content-Type", "Accept", Previews.PreviewTokenAuthentication.HeaderName)
                .WithExposedHeaders("ETag", "Retry-After").SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }

    /// <summary>
    /// In Development the front end at <c>Site:BaseUrl</c> (by default a local Next.js or Nuxt app on port 3000) may
    /// call the API from the browser at once; elsewhere only the configured origins may.
    /// </summary>
    private static IEnumerable<string> DevelopmentFrontEnd(IHostEnvironment environment, IConfiguration configuration)
    {
        if (!environment.IsDevelopment())
            yield break;
        var baseUrl = configuration[$"{Syndication.SiteOptions.Section}:BaseUrl"]
            ?? new Syndication.SiteOptions().BaseUrl;
        if (Uri.TryCreate(baseUrl, UriKind.Absolute, out var site))
            yield return site.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Marks an endpoint as rate limited and authenticated (see <see cref="UseRateLimitedAuthentication"/>).</summary>
    public static TBuilder RequireRateLimitedAuthentication<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(RateLimitedAuthentication.Instance);

    /// <summary>
    /// For the endpoints marked so: the client's address is rate limited, then its token is looked up (authentication),
    /// then the token is rate limited. A token is never looked up for a request the address's limit refuses, and no
    /// other endpoint (health probes, the IDE's files) looks one up at all.
    /// </summary>
    public static void UseRateLimitedAuthentication(this WebApplication app) =>
        app.UseWhen(http => http.GetEndpoint()?.Metadata.GetMetadata<RateLimitedAuthentication>() is not null, marked => marked
            .Use(async (http, next) =>
            {
                if (await http.RequestServices.GetRequiredService<ClientRateLimits>().AdmitBeforeAuthenticationAsync(http))
                    await next(http);
            })
            .Use(async (http, next) =>
            {
                await http.RequestServices.GetRequiredService<BearerTokenAuthentication>().AuthenticateAsync(http);
                await next(http);
            })
            .Use(async (http, next) =>
            {
                if (await http.RequestServices.GetRequiredService<ClientRateLimits>().AdmitAfterAuthenticationAsync(http))
                    await next(http);
            })
            .Use(async (http, next) =>
            {
                if (await http.RequestServices.GetRequiredService<Previews.PreviewTokenAuthentication>().AuthenticateAsync(http))
                    await next(http);
            }));

    /// <summary>Takes the client's address from X-Forwarded-For when proxies are configured; before rate limiting reads it.</summary>
    public static void UseForwardedClientAddresses(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxies.Configured)
            app.UseForwardedHeaders();
    }

    private sealed class RateLimitedAuthentication
    {
        public static readonly RateLimitedAuthentication Instance = new();
    }
}

/// <summary>
/// Fixed windows per client address (an IPv6 client's /64, see <see cref="ClientAddress"/>) and per token. Before a
/// token is looked up, a request counts against its address:
/// without a token at the anonymous limit, with one at the editor limit, and refused outright while the address has
/// used up its allowance of tokens that failed. After the lookup a valid token counts against its own limit (however
/// many addresses share it), and a failed one against that allowance.
/// </summary>
public sealed class ClientRateLimits(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly RateLimitOptions limits = options.Value;

    private readonly PartitionedRateLimiter<Bucket> windows = PartitionedRateLimiter.Create<Bucket, Bucket>(bucket =>
        RateLimitPartition.GetFixedWindowLimiter(bucket, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = bucket.Kind switch
            {
                BucketKind.Anonymous => options.Value.AnonymousPermitLimit,
                BucketKind.InvalidTokens => options.Value.InvalidTokenPermitLimit,
                BucketKind.SocketConnects => options.Value.WebSocketConnectPermitLimit,
                BucketKind.ReaderToken => options.Value.ReaderTokenPermitLimit,
                BucketKind.TokensFromAddress =>
                    Math.Max(options.Value.EditorPermitLimit, options.Value.ReaderTokenPermitLimit),
                _ => options.Value.EditorPermitLimit,
            },
            Window = options.Value.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Whether the request may go on to authentication; a refused one has its 429 written.</summary>
    public async Task<bool> AdmitBeforeAuthenticationAsync(HttpContext http)
    {
        if (!limits.Enabled)
            return true;
        var address = AddressOf(http);
        if (http.WebSockets.IsWebSocketRequest && !await AdmitAsync(http, new Bucket(BucketKind.SocketConnects, address)))
            return false;
        if (!HasToken(http))
            return await AdmitAsync(http, new Bucket(BucketKind.Anonymous, address));

        // Zero permits asks only whether any are left, without taking one.
        using (var failedTokensLeft = windows.AttemptAcquire(new Bucket(BucketKind.InvalidTokens, address), permitCount: 0))
        {
            if (!failedTokensLeft.IsAcquired)
            {
                await RefuseAsync(http, failedTokensLeft);
                return false;
            }
        }

        return await AdmitAsync(http, new Bucket(BucketKind.TokensFromAddress, address));
    }

    /// <summary>Whether the authenticated request may run; a refused one has its 429 written.</summary>
    public async Task<bool> AdmitAfterAuthenticationAsync(HttpContext http)
    {
        if (!limits.Enabled || !HasToken(http))
            return true;
        if (http.User.IsInRole(Roles.Reader) && http.User.Identity?.Name is { } reader)
            return await AdmitAsync(http, new Bucket(BucketKind.ReaderToken, reader));
        return http.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? await AdmitAsync(http, new Bucket(BucketKind.Token, name))
            : await AdmitAsync(http, new Bucket(BucketKind.InvalidTokens, AddressOf(http)));
    }

    /// <summary>
    /// Whether a token sent otherwise than as a bearer token (a preview link's) may be looked up: not while the address
    /// has used up its allowance of tokens that failed. A refused request has its 429 written.
    /// </summary>
    public async Task<bool> AdmitTokenLookupAsync(HttpContext http)
    {
        if (!limits.Enabled)
            return true;
        using var failedTokensLeft = windows.AttemptAcquire(new Bucket(BucketKind.InvalidTokens, AddressOf(http)), permitCount: 0);
        if (failedTokensLeft.IsAcquired)
            return true;
        await RefuseAsync(http, failedTokensLeft);
        return false;
    }

    /// <summary>Counts such a token that failed against its address's allowance; false, with the 429 written, when it was used up.</summary>
    public async Task<bool> CountFailedTokenAsync(HttpContext http) =>
        !limits.Enabled || await AdmitAsync(http, new Bucket(BucketKind.InvalidTokens, AddressOf(http)));

    public void Dispose() => windows.Dispose();

    private static string AddressOf(HttpContext http) => ClientAddress.KeyOf(http.Connection.RemoteIpAddress);

    private static bool HasToken(HttpContext http) => http.Request.Headers.Authorization.Count > 0;

    private async Task<bool> AdmitAsync(HttpContext http, Bucket bucket)
    {
        using var lease = windows.AttemptAcquire(bucket);
        if (lease.IsAcquired)
            return true;
        await RefuseAsync(http, lease);
        return false;
    }

    private async Task RefuseAsync(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
        var response = http.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var error = new { message = $"Too many requests; retry after {response.Headers.RetryAfter} seconds.", extensions = new { code = ErrorCodes.RateLimited } };
        await response.WriteAsJsonAsync(new { errors = new[] { error } }, http.RequestAborted);
    }

    private enum BucketKind
    {
        Anonymous,
        TokensFromAddress,
        Token,
        ReaderToken,
        InvalidTokens,
        SocketConnects,
    }

    private readonly record struct Bucket(BucketKind Kind, string Key);
}
