using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using T4K3News.Api.GraphQL;

namespace T4K3News.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests an anonymous client (by IP address) may make per window.</summary>
    public int AnonymousPermitLimit { get; set; } = 600;

    /// <summary>Requests one editor's token may make per window.</summary>
    public int EditorPermitLimit { get; set; } = 6_000;

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
/// Rate limiting (anonymous clients by IP, editors by token, on a higher limit), CORS for the front ends, and the
/// client address taken from X-Forwarded-For, but only when a configured proxy sent it: anyone else could forge it.
/// </summary>
public static class EndpointProtection
{
    public const string GraphQLPolicy = "graphql";

    public static IServiceCollection AddEndpointProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var rateLimits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(GraphQLPolicy, http =>
            {
                if (!rateLimits.Enabled)
                    return RateLimitPartition.GetNoLimiter("off");
                var editor = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
                return editor is not null
                    ? RateLimitPartition.GetFixedWindowLimiter($"editor:{editor}", _ => Window(rateLimits.EditorPermitLimit, rateLimits.Window))
                    : RateLimitPartition.GetFixedWindowLimiter($"ip:{http.Connection.RemoteIpAddress}", _ => Window(rateLimits.AnonymousPermitLimit, rateLimits.Window));
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : rateLimits.Window;
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var error = new { message = $"Too many requests; retry after {response.Headers.RetryAfter} seconds.", extensions = new { code = ErrorCodes.RateLimited } };
                await response.WriteAsJsonAsync(new { errors = new[] { error } }, cancellationToken);
            };
        });

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
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            policy.WithOrigins(origins).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type", "Accept")
                .WithExposedHeaders("ETag", "Retry-After").SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }

    /// <summary>Takes the client's address from X-Forwarded-For when proxies are configured; before rate limiting reads it.</summary>
    public static void UseForwardedClientAddresses(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxies.Configured)
            app.UseForwardedHeaders();
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
