using System.Globalization;

namespace T4K3News.Benchmarks;

/// <summary>
/// From environment variables (README, "Benchmark"): run and warm-up durations, connection counts, pages, and whether
/// the server runs without its response cache (against the SQL limit), with it, or both.
/// </summary>
public sealed record BenchmarkSettings(int Seconds, int WarmupSeconds, IReadOnlyList<int> Connections, IReadOnlyList<ReadPage> Pages, bool Uncached, bool Cached)
{
    public static BenchmarkSettings FromEnvironment() => new(
        Number("T4K3NEWS_BENCH_SECONDS", Variable("T4K3NEWS_BENCH_SECONDS") ?? "10", minimum: 1),
        Number("T4K3NEWS_BENCH_WARMUP_SECONDS", Variable("T4K3NEWS_BENCH_WARMUP_SECONDS") ?? "10", minimum: 0),
        List("T4K3NEWS_BENCH_CONNECTIONS", "16,64").Select(c => Number("T4K3NEWS_BENCH_CONNECTIONS", c, minimum: 1)).ToList(),
        List("T4K3NEWS_BENCH_PAGES", "home,article,tag,search")
            .Select(name => ReadPage.All.SingleOrDefault(p => p.Name == name)
                ?? throw new ArgumentException($"T4K3NEWS_BENCH_PAGES: no page '{name}' (home, article, tag)."))
            .ToList(),
        Uncached: CacheMode() is "off" or "both",
        Cached: CacheMode() is "on" or "both");

    public override string ToString() =>
        $"{string.Join(", ", Pages.Select(p => p.Name))} at {string.Join(" and ", Connections)} connections, " +
        $"{Seconds} s per run after {WarmupSeconds} s of warm-up per page, " +
        (Uncached && Cached ? "without and with the response cache" : Cached ? "with the response cache only" : "without the response cache");

    private static string CacheMode() =>
        Variable("T4K3NEWS_BENCH_CACHE") is { } mode
            ? mode is "off" or "on" or "both" ? mode : throw new ArgumentException($"T4K3NEWS_BENCH_CACHE: '{mode}' is not off, on or both.")
            : "both";

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? text : null;

    private static int Number(string variable, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{variable}: '{text}' is not a whole number of at least {minimum}.");

    private static string[] List(string variable, string fallback) =>
        (Variable(variable) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
