using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>The real server on a loopback port with Kestrel, for clients that speak real HTTP.</summary>
public sealed class KestrelContentApi : ContentApi
{
    public string GraphQLUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        var port = FreePort();
        UseKestrel(port);
        await base.InitializeAsync();
        GraphQLUrl = $"http://127.0.0.1:{port}/graphql";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class GraphQLOverHttpAuditTests(KestrelContentApi api) : IClassFixture<KestrelContentApi>
{
    [Fact]
    public async Task The_server_passes_every_MUST_and_SHOULD_of_the_graphql_http_audit_suite()
    {
        var output = await NodeScripts.In("Http", "audit").RunAsync("audit.mjs", api.GraphQLUrl);

        var results = JsonNode.Parse(output)!.AsArray().Select(r => (Name: r!["name"].Text()!, Status: r["status"].Text(), Reason: r["reason"]?.ToString())).ToList();
        var failing = results.Where(r => !r.Name.StartsWith("MAY", StringComparison.Ordinal) && r.Status != "ok").ToList();
        Assert.True(failing.Count == 0, string.Join("\n", failing.Select(f => $"{f.Status}: {f.Name}: {f.Reason}")));
        Assert.Equal(13, results.Count(r => r.Name.StartsWith("MUST", StringComparison.Ordinal)));
        Assert.True(results.Count(r => r.Name.StartsWith("SHOULD", StringComparison.Ordinal)) >= 20);
    }
}
