using System.Globalization;
using System.Text;

namespace T4K3News.Benchmarks;

/// <summary>One page at one concurrency: the server under wrk and, right after it, the page's SQL under pgbench.</summary>
public sealed record Measurement(
    ReadPage Page, int Connections, LoadResult Server, long ServerPeakResidentBytes, StatementCount ServerStatements,
    LoadResult Limit, StatementCount LimitStatements)
{
    public double Ratio => Server.PerSecond / Limit.PerSecond;
}

/// <summary>One page at one concurrency with the response cache on: the server under wrk, beside its run without the cache.</summary>
public sealed record CachedMeasurement(ReadPage Page, int Connections, LoadResult Server, long ServerPeakResidentBytes, StatementCount ServerStatements, LoadResult? Uncached)
{
    public double? Ratio => Uncached is null ? null : Server.PerSecond / Uncached.PerSecond;
}

public static class ResultsTable
{
    public static string Format(IReadOnlyList<Measurement> results)
    {
        string[] header =
        [
            "page", "conns", "server req/s", "p50 ms", "p99 ms", "server RSS MB", "SQL/req", "resets/req",
            "limit tps", "p50 ms", "p99 ms", "SQL/txn", "ratio", "target (c=16)",
        ];
        var rows = results.Select(m => new[]
        {
            m.Page.Name, m.Connections.ToString(CultureInfo.InvariantCulture),
            F(m.Server.PerSecond, "0"), F(m.Server.P50Milliseconds, "0.0"), F(m.Server.P99Milliseconds, "0.0"),
            F(m.ServerPeakResidentBytes / 1024.0 / 1024.0, "0"),
            F(m.ServerStatements.Queries / (double)m.Server.Count, "0.00"), F(m.ServerStatements.Resets / (double)m.Server.Count, "0.00"),
            F(m.Limit.PerSecond, "0"), F(m.Limit.P50Milliseconds, "0.0"), F(m.Limit.P99Milliseconds, "0.0"),
            F((m.LimitStatements.Queries + m.LimitStatements.Resets) / (double)m.Limit.Count, "0.00"),
            F(m.Ratio, "0.00") + (m.Server.Problems is null && m.Limit.Problems is null ? "" : " (!)"),
            m.Connections == 16 ? "≥ " + F(m.Page.TargetRatio, "0.00") : "",
        }).ToList();

        var table = Table(header, rows);
        foreach (var m in results)
            foreach (var (side, problems) in new[] { ("server", m.Server.Problems), ("SQL", m.Limit.Problems) })
                if (problems is not null)
                    table.AppendLine($"(!) {m.Page.Name} at {m.Connections} connections, {side}: {problems}.");
        return table.ToString().TrimEnd();
    }

    /// <summary>The runs with the response cache, and how many times the run without it they answered.</summary>
    public static string FormatCached(IReadOnlyList<CachedMeasurement> results)
    {
        string[] header = ["page", "conns", "cached req/s", "p50 ms", "p99 ms", "server RSS MB", "SQL/req", "uncached req/s", "cached/uncached"];
        var rows = results.Select(m => new[]
        {
            m.Page.Name, m.Connections.ToString(CultureInfo.InvariantCulture),
            F(m.Server.PerSecond, "0"), F(m.Server.P50Milliseconds, "0.00"), F(m.Server.P99Milliseconds, "0.00"),
            F(m.ServerPeakResidentBytes / 1024.0 / 1024.0, "0"),
            F(m.ServerStatements.Queries / (double)m.Server.Count, "0.000"),
            m.Uncached is null ? "" : F(m.Uncached.PerSecond, "0"),
            (m.Ratio is { } ratio ? F(ratio, "0.0") + " x" : "") + (m.Server.Problems is null ? "" : " (!)"),
        }).ToList();

        var table = Table(header, rows);
        foreach (var m in results.Where(m => m.Server.Problems is not null))
            table.AppendLine($"(!) {m.Page.Name} at {m.Connections} connections, cached server: {m.Server.Problems}.");
        return table.ToString().TrimEnd();
    }

    private static StringBuilder Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var table = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            table.Append("| ").AppendJoin(" | ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).AppendLine(" |");
        Line(header);
        Line(widths.Select((w, i) => i < 2 ? new string('-', w) : new string('-', w - 1) + ":").ToArray());
        rows.ForEach(Line);
        return table;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
