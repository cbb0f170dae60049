using System.Diagnostics;

namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// Node.js tools the tests drive (the graphql-http audit, a browser): each lives in a folder with a package.json and
/// lock file, installed with `npm ci` into its git-ignored node_modules on first use.
/// </summary>
public sealed class NodeScripts(string folder)
{
    public static NodeScripts In(params string[] pathFromTests) =>
        new(Path.Combine([RepositoryPaths.Root, "tests", "T4K3News.Tests", .. pathFromTests]));

    /// <summary>Runs <c>node script arguments...</c> and returns what it printed; a failure fails the test with its error output.</summary>
    public async Task<string> RunAsync(string script, params string[] arguments)
    {
        if (!File.Exists(Path.Combine(folder, "node_modules", ".package-lock.json")))
            await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"]);
        return await RunProcessAsync("node", [script, .. arguments]);
    }

    private async Task<string> RunProcessAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{program}' is needed to run {folder}: install Node.js and npm (bash .ci/run does).");
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
