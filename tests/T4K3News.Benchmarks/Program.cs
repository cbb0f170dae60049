// The read benchmark (README, "Benchmark"): a throwaway PostgreSQL with a fixed data set, the Release server against
// it, and for each front-end page the server under wrk alternating with the page's hand-written SQL under pgbench,
// whose ratio is what the read engine is judged by.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using T4K3News.Benchmarks;
using T4K3News.Content;
using T4K3News.DevTools;

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.FromEnvironment();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (Prerequisites.Check(out var postgresBin, needsWrk: args is not ["cache-busting"]) is { } missing)
{
    Console.Error.WriteLine(missing);
    return 2;
}

using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    // Unwind instead of dying, so the server and the cluster are stopped and the cluster's folder deleted.
    context.Cancel = true;
    interrupted.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
try
{
    if (args is ["cache-busting"])
    {
        await using var cluster = await StartLoadedClusterAsync(interrupted.Token);
        await CacheBusting.RunAsync(cluster.ConnectionString, interrupted.Token);
    }
    else if (args.Length > 0)
    {
        Console.Error.WriteLine($"Unknown command '{string.Join(' ', args)}': none (the read benchmark) or cache-busting.");
        return 2;
    }
    else
        await RunAsync(settings, postgresBin, interrupted.Token);
    return 0;
}
catch (Exception) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; the server and the throwaway cluster are stopped.");
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"The benchmark failed (the server and the throwaway cluster are stopped): {e.Message}");
    return 1;
}

static async Task RunAsync(BenchmarkSettings settings, string postgresBin, CancellationToken cancellationToken)
{
    Console.WriteLine($"Read benchmark: {settings}.");
    await using var loaded = await StartLoadedClusterAsync(cancellationToken);
    var (connectionString, data) = (loaded.ConnectionString, loaded.Data);

    if (Environment.GetEnvironmentVariable("T4K3NEWS_BENCH_HOLD") is { Length: > 0 })
    {
        // For profiling by hand: the loaded cluster stays up, with nothing running against it, until interrupted.
        Console.WriteLine($"Holding the cluster until interrupted. ConnectionStrings__Content=\"{connectionString}\"");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    var statements = new StatementCounter(unpooled);
    var database = new NpgsqlConnectionStringBuilder(connectionString);
    var pgbenchTarget = new Database(database.Host!, database.Port, database.Username!, database.Password!, database.Database!);
    var pgbench = Path.Combine(postgresBin, "pgbench");
    var scripts = Directory.CreateTempSubdirectory("t4k3news-wrk-");
    var results = new List<Measurement>();
    var cachedResults = new List<CachedMeasurement>();
    var loadBefore = LoadAverage();
    try
    {
        if (settings.Uncached)
        {
            await using var server = await StartCheckedServerAsync(responseCache: false);
            await WarmUpServerAsync(server);
            foreach (var page in settings.Pages)
            {
                var wrkScript = await WrkScriptAsync(page);
                if (settings.WarmupSeconds > 0)
                {
                    Console.WriteLine($"{page.Name}: warming up the server and the SQL, {settings.WarmupSeconds} s each");
                    await Wrk.RunAsync(wrkScript, server.Endpoint, settings.Connections[0], settings.WarmupSeconds, cancellationToken);
                    await Pgbench.RunAsync(pgbench, page.ScriptPath, pgbenchTarget, settings.Connections[0], settings.WarmupSeconds, cancellationToken);
                }

                foreach (var connections in settings.Connections)
                {
                    await statements.ResetAsync(cancellationToken);
                    var (web, peakMemory) = await server.WhileSamplingMemoryAsync(() =>
                        Wrk.RunAsync(wrkScript, server.Endpoint, connections, settings.Seconds, cancellationToken));
                    var webStatements = await statements.CountAsync(cancellationToken);

                    await statements.ResetAsync(cancellationToken);
                    var sql = await Pgbench.RunAsync(pgbench, page.ScriptPath, pgbenchTarget, connections, settings.Seconds, cancellationToken);
                    var sqlStatements = await statements.CountAsync(cancellationToken);

                    var measurement = new Measurement(page, connections, web, peakMemory, webStatements, sql, sqlStatements);
                    results.Add(measurement);
                    Console.WriteLine($"{page.Name} c={connections}: server {web.PerSecond:0} req/s, SQL {sql.PerSecond:0} tps, ratio {measurement.Ratio:0.00}");
                }
            }
        }

        if (settings.Cached)
        {
            await using var server = await StartCheckedServerAsync(responseCache: true);
            await WarmUpServerAsync(server);
            foreach (var page in settings.Pages)
            {
                var wrkScript = await WrkScriptAsync(page);
                // Every variant of the page is asked once, so that the runs measure answers from the cache, not their first computing.
                var variants = await CacheWarmup.AskEveryVariantAsync(server, page, cancellationToken);
                Console.WriteLine($"{page.Name}: {variants:N0} answer(s) cached{(settings.WarmupSeconds > 0 ? $", warming up {settings.WarmupSeconds} s" : "")}");
                if (settings.WarmupSeconds > 0)
                    await Wrk.RunAsync(wrkScript, server.Endpoint, settings.Connections[0], settings.WarmupSeconds, cancellationToken);

                foreach (var connections in settings.Connections)
                {
                    await statements.ResetAsync(cancellationToken);
                    var (web, peakMemory) = await server.WhileSamplingMemoryAsync(() =>
                        Wrk.RunAsync(wrkScript, server.Endpoint, connections, settings.Seconds, cancellationToken));
                    var measurement = new CachedMeasurement(page, connections, web, peakMemory, await statements.CountAsync(cancellationToken),
                        results.SingleOrDefault(m => m.Page == page && m.Connections == connections)?.Server);
                    cachedResults.Add(measurement);
                    Console.WriteLine($"{page.Name} c={connections}: cached server {web.PerSecond:0} req/s" +
                                      (measurement.Ratio is { } ratio ? $", {ratio:0.0} x uncached" : ""));
                }
            }
        }
    }
    finally
    {
        scripts.Delete(recursive: true);
    }

    if (results.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine(ResultsTable.Format(results));
    }

    if (cachedResults.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine(ResultsTable.FormatCached(cachedResults));
    }

    // Only the load before: during the runs pgbench's 64 busy backends are part of it.
    Console.WriteLine($"{Environment.ProcessorCount} CPUs, load average {loadBefore} (1 min) before the measurements. " +
                      "On a shared machine only the ratios of one run mean anything.");

    async Task<ApiServer> StartCheckedServerAsync(bool responseCache)
    {
        var server = await ApiServer.StartAsync(Prerequisites.ApiAssembly, connectionString, responseCache, cancellationToken);
        try
        {
            Console.WriteLine($"Server {server.Endpoint} started {(responseCache ? "with" : "without")} its response cache. Checking the answers:");
            var check = new AnswerCheck(server, unpooled, data);
            foreach (var page in settings.Pages)
                await check.RunAsync(page, statements, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    // A fresh server's JIT takes half a minute of load on two busy cores to reach its final code (tiered compilation
    // works in the background): measured before that, the first page paid up to twice the server CPU per request of
    // the same page a minute later. Every page is asked in turn first, so each page is measured warm, not just the last.
    async Task WarmUpServerAsync(ApiServer server)
    {
        if (settings.WarmupSeconds == 0)
            return;
        Console.WriteLine($"Warming up the server: every page in turn, {settings.WarmupSeconds} s each");
        foreach (var page in settings.Pages)
            await Wrk.RunAsync(await WrkScriptAsync(page), server.Endpoint, settings.Connections[0], settings.WarmupSeconds, cancellationToken);
    }

    async Task<string> WrkScriptAsync(ReadPage page)
    {
        var path = Path.Combine(scripts.FullName, page.Name + ".lua");
        await File.WriteAllTextAsync(path, page.WrkScript(), cancellationToken);
        return path;
    }
}

// A throwaway cluster with the data set loaded, migrated as the server migrates. Statements are counted with
// pg_stat_statements. The benchmark only reads, and its own VACUUM ANALYZE after the load must see no autovacuum
// snapshot, or some tables stay not all-visible and plans differ from run to run.
static async Task<LoadedCluster> StartLoadedClusterAsync(CancellationToken cancellationToken)
{
    var cluster = await LocalPostgresCluster.StartThrowawayAsync(
        ["shared_preload_libraries=pg_stat_statements", "autovacuum=off"], cancellationToken);
    try
    {
        const string databaseName = "t4k3news_bench";
        await cluster.EnsureDatabaseAsync(databaseName, cancellationToken);
        var connectionString = cluster.ConnectionStringFor(databaseName);

        var loading = Stopwatch.StartNew();
        var data = ReadDataSet.Build();
        var options = new DbContextOptionsBuilder<ContentDbContext>();
        ContentDatabase.Configure(options, connectionString);
        await using (var db = new ContentDbContext(options.Options))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await DataSetLoader.LoadAsync(db, data, cancellationToken);
        }

        await StatementCounter.InstallAsync(connectionString, cancellationToken);
        Console.WriteLine($"Throwaway cluster on port {cluster.Port}: migrated, {ReadDataSet.ArticleCount:N0} articles loaded in {loading.Elapsed.TotalSeconds:0.0} s.");
        return new LoadedCluster(cluster, connectionString, data);
    }
    catch
    {
        await cluster.DisposeAsync();
        throw;
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

/// <summary>The throwaway cluster with the benchmark's data set; disposing it stops the cluster and deletes its folder.</summary>
internal sealed record LoadedCluster(LocalPostgresCluster Cluster, string ConnectionString, ReadDataSet Data) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
