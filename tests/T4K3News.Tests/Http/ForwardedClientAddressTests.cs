using System.Net;
using System.Text;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>
/// Behind a load balancer every reader arrives from the balancer's address; the rate limit must still tell readers
/// apart, by the X-Forwarded-For the balancer adds, and must ignore that header from anyone else. Runs the real server
/// (Kestrel on loopback), since only a real connection has a peer address.
/// </summary>
public sealed class ForwardedClientAddressTests
{
    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_has_its_own_rate_limit()
    {
        await using var server = await StartAsync(trustedProxy: "127.0.0.1");
        using var http = new HttpClient { BaseAddress = await BaseAddressAsync(server) };

        var first = await StatusesAsync(http, forwardedFor: "203.0.113.1", requests: 3);
        var second = await StatusesAsync(http, forwardedFor: "203.0.113.2", requests: 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task A_forwarded_address_from_a_peer_that_is_not_a_configured_proxy_is_ignored()
    {
        await using var server = await StartAsync(trustedProxy: "10.20.30.40");
        using var http = new HttpClient { BaseAddress = await BaseAddressAsync(server) };

        var first = await StatusesAsync(http, forwardedFor: "203.0.113.1", requests: 2);
        var forged = await StatusesAsync(http, forwardedFor: "203.0.113.2", requests: 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], first);
        Assert.Equal([HttpStatusCode.TooManyRequests], forged);
    }

    [Fact]
    public async Task An_ipv6_client_is_limited_by_its_64_and_an_ipv4_address_written_as_ipv6_is_that_ipv4_address()
    {
        await using var server = await StartAsync(trustedProxy: "127.0.0.1");
        using var http = new HttpClient { BaseAddress = await BaseAddressAsync(server) };

        var first = await StatusesAsync(http, forwardedFor: "2001:db8:1:2::1", requests: 2);
        var sameNetwork = await StatusesAsync(http, forwardedFor: "2001:db8:1:2:ffff:ffff:ffff:fffe", requests: 1);
        var nextNetwork = await StatusesAsync(http, forwardedFor: "2001:db8:1:3::1", requests: 1);
        var mapped = await StatusesAsync(http, forwardedFor: "::ffff:203.0.113.9", requests: 1);
        var plain = await StatusesAsync(http, forwardedFor: "203.0.113.9", requests: 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], first);
        Assert.Equal([HttpStatusCode.TooManyRequests], sameNetwork);
        Assert.Equal([HttpStatusCode.OK], nextNetwork);
        Assert.Equal([HttpStatusCode.OK], mapped);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], plain);
    }

    private static async Task<ServerProcess> StartAsync(string trustedProxy)
    {
        var database = await (await TestDatabaseServer.InstanceAsync()).CreateDatabaseAsync();
        return ServerProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Content"] = database,
            ["Import__OnStartup"] = "false",
            ["RateLimiting__AnonymousPermitLimit"] = "2",
            ["RateLimiting__Window"] = "00:10:00",
            ["ForwardedHeaders__KnownProxies__0"] = trustedProxy,
        });
    }

    private static async Task<Uri> BaseAddressAsync(ServerProcess server) =>
        new((await server.WaitForGraphQLUrlAsync(TimeSpan.FromMinutes(2))).GetLeftPart(UriPartial.Authority));

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient http, string forwardedFor, int requests)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
