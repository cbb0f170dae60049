using System.Diagnostics;
using System.Reflection;
using T4K3News.DevTools;

namespace T4K3News.Benchmarks;

/// <summary>What the benchmark needs on the machine; nothing is installed, a missing piece is named with its apt package.</summary>
public static class Prerequisites
{
    public static string ApiAssembly => Metadata("ApiAssembly");

    public static string? Check(out string postgresBin, bool needsWrk = true)
    {
        var missing = new List<string>();
        if (Metadata("Configuration") != "Release")
            missing.Add("a Release build: run `dotnet run -c Release --project tests/T4K3News.Benchmarks`");
        if (!File.Exists(ApiAssembly))
            missing.Add($"the server's build at {ApiAssembly}");
        if (needsWrk && !OnPath("wrk"))
            missing.Add("wrk, the HTTP load generator (apt-get install wrk)");
        // The server's own folder, where pgbench and pg_config of the same version live, also when initdb is a link to it.
        postgresBin = LocalPostgresCluster.FindBinDirectory() is { } bin
            ? new FileInfo(Path.Combine(bin, "initdb")).ResolveLinkTarget(returnFinalTarget: true) is { } target ? Path.GetDirectoryName(target.FullName)! : bin
            : "";
        if (postgresBin.Length == 0)
            missing.Add("the PostgreSQL server binaries: initdb, pg_ctl, pgbench, pg_stat_statements (apt-get install postgresql)");
        else if (!File.Exists(Path.Combine(postgresBin, "pgbench")))
            missing.Add($"pgbench next to initdb in {postgresBin} (apt-get install postgresql)");
        else if (PackageLibraryDirectory(postgresBin) is { } lib && !File.Exists(Path.Combine(lib, "pg_stat_statements.so")))
            missing.Add($"pg_stat_statements in {lib} (apt-get install postgresql-contrib)");
        return missing.Count == 0 ? null : "The read benchmark needs:\n  - " + string.Join("\n  - ", missing);
    }

    private static string Metadata(string key) =>
        typeof(Prerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, tool)));

    private static string? PackageLibraryDirectory(string postgresBin)
    {
        var pgConfig = Path.Combine(postgresBin, "pg_config");
        if (!File.Exists(pgConfig))
            return null;
        using var process = Process.Start(new ProcessStartInfo(pgConfig, "--pkglibdir") { RedirectStandardOutput = true, UseShellExecute = false });
        var output = process?.StandardOutput.ReadToEnd().Trim();
        process?.WaitForExit();
        return string.IsNullOrEmpty(output) ? null : output;
    }
}
