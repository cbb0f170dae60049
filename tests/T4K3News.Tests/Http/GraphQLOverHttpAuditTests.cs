using System.Diagnostics;
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
    private static readonly string AuditFolder = Path.Combine(RepositoryPaths.Root, "tests", "T4K3News.Tests", "Http", "audit");

    [Fact]
    public async Task The_server_passes_every_MUST_and_SHOULD_of_the_graphql_http_audit_suite()
    {
        if (!File.Exists(Path.Combine(AuditFolder, "node_modules", "graphql-http", "package.json")))
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"]);

        var output = await RunAsync("node", ["audit.mjs", api.GraphQLUrl]);

        var results = JsonNode.Parse(output)!.AsArray().Select(r => (Name: r!["name"].Text()!, Status: r["status"].Text(), Reason: r["reason"]?.ToString())).ToList();
        var failing = results.Where(r => !r.Name.StartsWith("MAY", StringComparison.Ordinal) && r.Status != "ok").ToList();
        Assert.True(failing.Count == 0, string.Join("\n", failing.Select(f => $"{f.Status}: {f.Name}: {f.Reason}")));
        Assert.Equal(13, results.Count(r => r.Name.StartsWith("MUST", StringComparison.Ordinal)));
        Assert.True(results.Count(r => r.Name.StartsWith("SHOULD", StringComparison.Ordinal)) >= 20);
    }

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = AuditFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{program}' is needed for the GraphQL-over-HTTP audit: install Node.js and npm (bash .ci/run does).");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {await errors}");
            return await output;
        }
    }
}
