using System.Text.Json;
using Npgsql;
using T4K3News.DevTools;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Hosting;

/// <summary>The README's run command: the host as its own process, with no database configured.</summary>
public sealed class ServerStartupTests : IDisposable
{
    private const string SeedArticle = """{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { title } }""";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly string folder = Directory.CreateTempSubdirectory("t4k3news-run-").FullName;

    public ServerStartupTests()
    {
        // As root the cluster runs as the postgres user, which must be able to reach its data folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
    }

    [Fact]
    public async Task With_no_connection_string_the_server_runs_its_own_PostgreSQL_imports_the_seeds_logs_no_failure_and_stops_it_on_exit()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Content"] = "",
            ["Database__LocalDataPath"] = Path.Combine(folder, "postgres"),
            ["Import__SeedsPath"] = RepositoryPaths.Seeds,
        };

        var firstRun = await RunUntilItServesTheSeedsAsync(settings);

        Assert.Contains("an editor token was created", firstRun);
        Assert.Contains("4 created, 0 updated, 0 unchanged, 0 skipped, 0 failed", firstRun);
        AssertNothingLoggedAsAFailure(firstRun);
        Assert.False(await LocalClusterAnswersAsync(), "the server's shutdown stops the cluster it started");

        var secondRun = await RunUntilItServesTheSeedsAsync(settings);

        Assert.DoesNotContain("an editor token was created", secondRun);
        Assert.Contains("0 created, 0 updated, 4 unchanged, 0 skipped, 0 failed", secondRun);
        AssertNothingLoggedAsAFailure(secondRun);
    }

    [Fact]
    public async Task A_restart_while_the_previous_cluster_is_still_shutting_down_waits_for_it_and_starts_it_again()
    {
        var dataPath = Path.Combine(folder, "postgres");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Content"] = "",
            ["Database__LocalDataPath"] = dataPath,
            ["Import__SeedsPath"] = RepositoryPaths.Seeds,
        };
        await RunUntilItServesTheSeedsAsync(settings);

        for (var restart = 1; restart <= 2; restart++)
        {
            // The previous run's cluster caught in its shutdown: a "smart" shutdown (SIGTERM) waits for the open
            // session to end, refusing new connections meanwhile, and then the server is gone.
            await using var cluster = await LocalPostgresCluster.StartPersistentAsync(
                LocalPostgresCluster.FindBinDirectory()!, dataPath, CancellationToken.None);
            // Unpooled: closing it must end the session, not keep it in a pool.
            await using var session = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Pooling = false }.ConnectionString);
            await session.OpenAsync();
            var postmaster = (await File.ReadAllLinesAsync(Path.Combine(dataPath, "postmaster.pid")))[0];
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", postmaster]))
                await kill.WaitForExitAsync();
            await PollAsync(async () => !await LocalClusterAnswersAsync(), "the cluster refuses new connections");

            var server = ServerProcess.Start(settings);
            await using (server)
            {
                await PollAsync(
                    () => Task.FromResult(server.HasExited || server.Output.Contains("Waiting for the local PostgreSQL cluster")),
                    "the server waits for the cluster");
                Assert.False(server.HasExited, $"Restart {restart} gave up. Output:\n{server.Output}");
                await session.CloseAsync();

                Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", await ReadSeedTitleAsync(server));
            }

            AssertNothingLoggedAsAFailure(server.Output);
        }
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Starts the server, reads a seed article, stops it; returns everything it printed, its shutdown included.</summary>
    private static async Task<string> RunUntilItServesTheSeedsAsync(IReadOnlyDictionary<string, string> settings)
    {
        var server = ServerProcess.Start(settings);
        await using (server)
            Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", await ReadSeedTitleAsync(server));
        return server.Output;
    }

    /// <summary>A start, even the very first on an empty database, expects nothing to fail; a red line would teach readers to ignore red lines.</summary>
    private static void AssertNothingLoggedAsAFailure(string output)
    {
        var failures = output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, $"Logged as failures: {string.Join(", ", failures)}. Output:\n{output}");
    }

    [Fact]
    public async Task With_neither_PostgreSQL_nor_a_connection_string_the_server_says_what_to_install_and_exits()
    {
        await using var server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Content"] = "",
            ["Database__LocalDataPath"] = Path.Combine(folder, "postgres"),
            ["Database__PostgresBinPath"] = folder,
        });

        var exitCode = await server.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("apt-get install postgresql", server.Output);
        Assert.Contains("ConnectionStrings__Content", server.Output);
        Assert.Contains("docker compose up", server.Output);
        Assert.False(Directory.Exists(Path.Combine(folder, "postgres")));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static async Task<string?> ReadSeedTitleAsync(ServerProcess server)
    {
        var url = await server.WaitForGraphQLUrlAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority)) };
        var data = await new GraphQLClient(http).QueryAsync(SeedArticle);
        return data["article"]!["title"].Text();
    }

    private async Task<bool> LocalClusterAnswersAsync()
    {
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "postgres.json")));
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = state.RootElement.GetProperty("Port").GetInt32(),
            Username = "postgres",
            Password = state.RootElement.GetProperty("Password").GetString(),
            Timeout = 3,
        };
        try
        {
            await using var open = new NpgsqlConnection(connection.ConnectionString);
            await open.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
