using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace T4K3News.Benchmarks;

/// <summary>One load run: completed requests (or transactions) per second, their count, latency percentiles, and
/// anything that went wrong (non-2xx answers, socket errors, failed transactions), which makes the run suspect.</summary>
public sealed record LoadResult(double PerSecond, long Count, double P50Milliseconds, double P99Milliseconds, string? Problems);

/// <summary>wrk against the server: POSTs from a Lua script, latency percentiles from its --latency output.</summary>
public static partial class Wrk
{
    public static async Task<LoadResult> RunAsync(string script, Uri url, int connections, int seconds, CancellationToken cancellationToken)
    {
        var output = await Tool.RunAsync("wrk",
            ["-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
             "-d", $"{seconds}s", "--timeout", "10s", "--latency", "-s", script, url.ToString()],
            environment: null, cancellationToken);

        var problems = new List<string>();
        if (Regex.Match(output, @"Non-2xx or 3xx responses:\s*(\d+)") is { Success: true } non2xx)
            problems.Add($"{non2xx.Groups[1].Value} non-2xx answers");
        if (Regex.Match(output, @"Socket errors:\s*(.+)") is { Success: true } socket)
            problems.Add($"socket errors ({socket.Groups[1].Value.Trim()})");
        return new LoadResult(
            Number(Match(output, @"Requests/sec:\s*([\d.]+)")),
            long.Parse(Match(output, @"(\d+) requests in"), CultureInfo.InvariantCulture),
            Duration(Match(output, @"\s50%\s+([\d.]+\w+)")),
            Duration(Match(output, @"\s99%\s+([\d.]+\w+)")),
            problems.Count == 0 ? null : string.Join(", ", problems));
    }

    private static double Duration(string text)
    {
        var unit = UnitPattern().Match(text).Value;
        var value = Number(text[..^unit.Length]);
        return unit switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            _ => throw new FormatException($"wrk duration '{text}'"),
        };
    }

    [GeneratedRegex("[a-z]+$")]
    private static partial Regex UnitPattern();

    internal static string Match(string output, string pattern) =>
        Regex.Match(output, pattern) is { Success: true } match ? match.Groups[1].Value : throw new FormatException($"No '{pattern}' in:\n{output}");

    internal static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary>pgbench against the database: prepared statements, tps from its summary, percentiles from its per-transaction log.</summary>
public static class Pgbench
{
    public static async Task<LoadResult> RunAsync(
        string pgbench, string script, Database database, int connections, int seconds, CancellationToken cancellationToken)
    {
        var logFolder = Directory.CreateTempSubdirectory("t4k3news-pgbench-");
        try
        {
            List<string> arguments =
            [
                "-h", database.Host, "-p", database.Port.ToString(CultureInfo.InvariantCulture), "-U", database.User, "-n",
                "-M", "prepared", "-c", connections.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture),
                "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, "-l", $"--log-prefix={Path.Combine(logFolder.FullName, "txn")}",
            ];
            foreach (var (name, value) in ReadPage.ScriptVariables)
                arguments.AddRange(["-D", $"{name}={value}"]);
            arguments.Add(database.Name);
            var output = await Tool.RunAsync(pgbench, arguments, new Dictionary<string, string> { ["PGPASSWORD"] = database.Password }, cancellationToken);

            // Each log line: client, transaction number, latency in microseconds, script, epoch seconds, microseconds.
            var latencies = logFolder.GetFiles("txn*")
                .SelectMany(file => File.ReadLines(file.FullName))
                .Select(line => line.Split(' '))
                .Where(fields => fields.Length > 2 && long.TryParse(fields[2], out _))
                .Select(fields => long.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0)
                .Order()
                .ToList();
            var failed = Regex.Match(output, @"number of failed transactions:\s*(\d+)") is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return new LoadResult(
                Wrk.Number(Wrk.Match(output, @"tps = ([\d.]+)")),
                long.Parse(Wrk.Match(output, @"number of transactions actually processed:\s*(\d+)"), CultureInfo.InvariantCulture),
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.99),
                failed > 0 ? $"{failed} failed transactions" : null);
        }
        finally
        {
            logFolder.Delete(recursive: true);
        }
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}

/// <summary>Where pgbench connects.</summary>
public sealed record Database(string Host, int Port, string User, string Password, string Name);

public static class Tool
{
    /// <summary>Runs a tool to its end and returns its output; a failure throws with the output, cancelling kills the tool.</summary>
    public static async Task<string> RunAsync(
        string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await errors;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{text.Trim()}");
        return text;
    }
}
