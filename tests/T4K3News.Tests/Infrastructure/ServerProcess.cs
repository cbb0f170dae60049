using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace T4K3News.Tests.Infrastructure;

/// <summary>The host started as its own process (`dotnet T4K3News.Api.dll`), the way the README's run command starts it.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The site address a started server links to unless a test sets another.</summary>
    public const string SiteBaseUrl = "https://news.example";

    private readonly Process process;
    private readonly StringBuilder output = new();
    private volatile bool disposed;

    private ServerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Exited, or stopped by <see cref="DisposeAsync"/> (safe to ask from another thread meanwhile).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return disposed || process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true; // disposed meanwhile
            }
        }
    }

    /// <summary>The last lines the server printed (where a crash says what it was).</summary>
    public string OutputTail(int lines) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>The process's resident memory (VmRSS in /proc/{pid}/status); null where there is no /proc or it has exited.</summary>
    public long? ResidentBytes()
    {
        if (HasExited)
            return null;
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts the host with these environment variables; an empty value leaves the variable out. Production (the
    /// default environment) refuses to start without a site address, so one is set unless the caller sets its own.
    /// </summary>
    public static ServerProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "T4K3News.Api.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Site__BaseUrl"] = SiteBaseUrl;
        foreach (var (name, value) in environment)
        {
            if (value.Length == 0)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        return new ServerProcess(Process.Start(start)!);
    }

    /// <summary>The GraphQL URL the server prints once it listens.</summary>
    public async Task<Uri> WaitForGraphQLUrlAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (GraphQLUrl().Match(Output) is { Success: true } match)
                return new Uri(match.Groups[1].Value);
            await Task.Delay(100);
        }

        throw new TimeoutException($"The server printed no GraphQL URL (exited: {process.HasExited}). Output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        process.WaitForExit(); // lets the output readers finish
        return process.ExitCode;
    }

    /// <summary>Stops the server as Ctrl+C or a service manager would (SIGTERM), so it shuts down gracefully.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await kill.WaitForExitAsync();
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    [GeneratedRegex(@"GraphQL endpoint and Banana Cake Pop: (http://\S+/graphql)")]
    private static partial Regex GraphQLUrl();
}
