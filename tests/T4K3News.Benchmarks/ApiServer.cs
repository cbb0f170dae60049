using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace T4K3News.Benchmarks;

/// <summary>The Release server as its own process on a free loopback port, against the benchmark's database, with or without its response cache.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly Queue<string> lastLines = new();

    private ApiServer(Process process, Uri endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public int ProcessId => process.Id;

    public static async Task<ApiServer> StartAsync(string apiAssembly, string connectionString, bool responseCache, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            // The output folder holds appsettings.json, which the host reads from its working directory.
            WorkingDirectory = Path.GetDirectoryName(apiAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(apiAssembly);
        // The rest of the environment is this process's: OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* variables
        // measure the server with its telemetry on (README, "Observability").
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Content"] = connectionString;
        start.Environment["Site__BaseUrl"] = "https://news.example"; // Production refuses to start without one
        start.Environment["Import__OnStartup"] = "false";
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["GraphQL__ResponseCache"] = responseCache ? "true" : "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ApiServer(process, new Uri($"http://127.0.0.1:{port}/graphql"));
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's resident memory now, from /proc/&lt;pid&gt;/status.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("No VmRSS in /proc status.");
    }

    /// <summary>Of the resident memory, what is anonymous (heaps, code) and what is file pages (mapped assemblies), from /proc.</summary>
    public string MemoryBreakdown()
    {
        var fields = File.ReadLines($"/proc/{process.Id}/status")
            .Where(line => line.StartsWith("RssAnon:", StringComparison.Ordinal) || line.StartsWith("RssFile:", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(parts => $"{parts[0].TrimEnd(':')} {long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) / 1024} MB");
        return string.Join(", ", fields);
    }

    /// <summary>Runs <paramref name="load"/> and samples the server's resident memory every 200 ms meanwhile; the peak.</summary>
    public async Task<(T Result, long PeakResidentBytes)> WhileSamplingMemoryAsync<T>(Func<Task<T>> load)
    {
        using var done = new CancellationTokenSource();
        var peak = ResidentBytes();
        var sampling = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes());
                try { await Task.Delay(200, done.Token); } catch (OperationCanceledException) { }
            }
        });
        T result;
        try
        {
            result = await load();
        }
        finally
        {
            await done.CancelAsync();
            await sampling;
        }

        return (result, Math.Max(peak, ResidentBytes()));
    }

    public string LogTail()
    {
        lock (lastLines)
            return string.Join('\n', lastLines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync(Uri ready, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}:\n{LogTail()}");
            try
            {
                using var response = await http.GetAsync(ready, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new InvalidOperationException($"The server did not answer {ready} within two minutes:\n{LogTail()}");
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 40)
                lastLines.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
