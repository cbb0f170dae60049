using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace T4K3News.Benchmarks;

/// <summary>
/// The server's memory under traffic that no cache can serve (README, "Memory under cache-busting traffic"): N unique
/// anonymous queries (missing slugs in the document and in variables, page sizes, search texts) at a fixed number of
/// connections, with the server's resident memory sampled from /proc meanwhile. Each server given (the current build,
/// and for a before/after comparison another build's assembly) runs the same requests against the same database.
/// </summary>
public static class CacheBusting
{
    public static async Task RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        var count = Number("T4K3NEWS_BENCH_QUERIES", 223_000);
        var connections = Number("T4K3NEWS_BENCH_CONNECTIONS", 12);
        var servers = new List<(string Name, string Assembly)>();
        if (Environment.GetEnvironmentVariable("T4K3NEWS_BENCH_COMPARE_ASSEMBLY") is { Length: > 0 } before)
            servers.Add(("compared (" + before + ")", before));
        servers.Add(("this build", Prerequisites.ApiAssembly));
        var environment = ServerEnvironment();
        Console.WriteLine($"Cache-busting: {count:N0} unique anonymous queries at {connections} connections, " +
                          $"{servers.Count} server(s){(environment.Count > 0 ? $", server environment {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))}" : "")}.");

        var reports = new List<string>();
        foreach (var (name, assembly) in servers)
        {
            var load = LoadAverage();
            await using var server = await ApiServer.StartAsync(assembly, connectionString, responseCache: true, cancellationToken, environment);
            var memory = new MemorySampler(server);
            var startBytes = server.ResidentBytes();
            var clock = Stopwatch.StartNew();
            var (answered, failed) = await memory.WhileSamplingAsync(() => SendAsync(server.Endpoint, count, connections, cancellationToken));
            var seconds = clock.Elapsed.TotalSeconds;
            var stores = await StoreSizesAsync(server, cancellationToken);
            var report = $"{name}: {answered:N0} answered ({failed:N0} with errors or refused) in {seconds:0} s ({answered / seconds:0} req/s), " +
                         $"load average {load} before; RSS start {Mb(startBytes)} MB, peak {Mb(memory.Peak)} MB, " +
                         $"plateau {Mb(memory.Plateau)} MB (median of the last quarter), after {Mb(server.ResidentBytes())} MB " +
                         $"({server.MemoryBreakdown()}){(stores is null ? "" : $"; stores: {stores}")}";
            Console.WriteLine(report);
            reports.Add(report);
        }

        Console.WriteLine();
        foreach (var report in reports)
            Console.WriteLine(report);
    }

    /// <summary>Request <paramref name="index"/>: each a question no earlier request asked, of four kinds in turn.</summary>
    public static string RequestBody(int index)
    {
        var size = 1 + (index % 50);
        JsonObject request = (index % 4) switch
        {
            // A missing slug written in the document: a new document, parsed and planned.
            0 => new JsonObject { ["query"] = $$"""{ article(slug: "missing-{{index}}") { slug title standfirst publishedAt } }""" },
            // A missing slug as a variable: one document, a new answer.
            1 => new JsonObject
            {
                ["query"] = "query Article($slug: String!) { article(slug: $slug) { slug title standfirst } }",
                ["variables"] = new JsonObject { ["slug"] = $"missing-{index}" },
            },
            // A page size and a slug filter in the document.
            2 => new JsonObject
            {
                ["query"] = $$"""{ articles(first: {{size}}, where: { slug: { eq: "missing-{{index}}" } }) { nodes { slug title } } }""",
            },
            // A search text, as a variable, and a page size.
            _ => new JsonObject
            {
                ["query"] = $"query Search($text: String!) {{ searchArticles(query: $text, first: {1 + (index % 20)}) {{ nodes {{ article {{ slug title }} score }} }} }}",
                ["variables"] = new JsonObject { ["text"] = $"lighthouse q{index}" },
            },
        };
        return request.ToJsonString();
    }

    private static async Task<(long Answered, long Failed)> SendAsync(Uri endpoint, int count, int connections, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        long answered = 0, failed = 0;
        var progress = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                using var content = new StringContent(RequestBody(index), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(endpoint, content, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK || body.AsSpan().IndexOf("\"errors\""u8) >= 0)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                        Console.WriteLine($"First refused request ({(int)response.StatusCode}): {RequestBody(index)} -> {Encoding.UTF8.GetString(body)[..Math.Min(400, body.Length)]}");
                }

                if (Interlocked.Increment(ref answered) % 20_000 == 0)
                    Console.WriteLine($"  {answered:N0} answered, {progress.Elapsed.TotalSeconds:0} s");
            }
        }, cancellationToken)));
        return (answered, failed);
    }

    /// <summary>The sizes the server reports of its stores, read with dotnet-counters when it is installed; null otherwise.</summary>
    private static async Task<string?> StoreSizesAsync(ApiServer server, CancellationToken cancellationToken)
    {
        var tool = new[] { Environment.GetEnvironmentVariable("HOME") is { } home ? Path.Combine(home, ".dotnet", "tools", "dotnet-counters") : null }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, "dotnet-counters")))
            .FirstOrDefault(File.Exists);
        if (tool is null)
            return null;
        var file = Path.Combine(Path.GetTempPath(), $"t4k3news-counters-{server.ProcessId}.json");
        try
        {
            await Tool.RunAsync(tool, ["collect", "--process-id", server.ProcessId.ToString(CultureInfo.InvariantCulture), "--counters",
                "T4K3News.GraphQL,System.Runtime[dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.memory.committed_size]",
                "--format", "json", "--refresh-interval", "1", "--duration", "00:00:03", "-o", file], null, cancellationToken);
            var sizes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
            foreach (var @event in json.RootElement.GetProperty("Events").EnumerateArray())
            {
                var name = @event.GetProperty("name").GetString()!;
                if (!name.Contains("Percentile", StringComparison.Ordinal) && !name.Contains("duration", StringComparison.Ordinal)
                    && !name.Contains("lookups", StringComparison.Ordinal))
                    sizes[name + (@event.TryGetProperty("tags", out var tags) && tags.GetString() is { Length: > 0 } t ? $" [{t}]" : "")] =
                        @event.GetProperty("value").GetDouble().ToString("N0", CultureInfo.InvariantCulture);
            }

            return string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value}"));
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or KeyNotFoundException or IOException)
        {
            return $"(dotnet-counters failed: {e.Message.Split('\n')[0]})";
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>DOTNET_* and GraphQL__* variables of this process are the server's anyway; these are for comparing GC settings.</summary>
    private static Dictionary<string, string> ServerEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_GC", StringComparison.Ordinal) || k.StartsWith("DOTNET_gc", StringComparison.Ordinal)
                        || k.StartsWith("GraphQL__", StringComparison.Ordinal))
            .ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k)!);

    private static int Number(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new ArgumentException($"{variable}: '{text}' is not a whole number of at least 1.")
            : fallback;

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>The server's resident memory every 500 ms while a load runs: its peak, and its plateau (the median of the last quarter).</summary>
    private sealed class MemorySampler(ApiServer server)
    {
        private readonly List<long> samples = [];

        public long Peak => samples.Count == 0 ? 0 : samples.Max();

        public long Plateau => samples.Count == 0 ? 0 : samples.Skip(samples.Count * 3 / 4).Order().ElementAt((samples.Count - (samples.Count * 3 / 4)) / 2);

        public async Task<T> WhileSamplingAsync<T>(Func<Task<T>> load)
        {
            using var done = new CancellationTokenSource();
            var sampling = Task.Run(async () =>
            {
                while (!done.IsCancellationRequested)
                {
                    lock (samples)
                        samples.Add(server.ResidentBytes());
                    try { await Task.Delay(500, done.Token); } catch (OperationCanceledException) { }
                }
            });
            try
            {
                return await load();
            }
            finally
            {
                await done.CancelAsync();
                await sampling;
            }
        }
    }
}
