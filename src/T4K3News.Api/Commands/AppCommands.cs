using System.CommandLine;
using T4K3News.Api.Hosting;

namespace T4K3News.Api.Commands;

/// <summary>
/// What the host runs instead of serving: <c>import</c>, <c>schema</c>, <c>tokens</c> and <c>persisted-queries</c>,
/// each with <c>--help</c>. A wrong command line prints what was wrong and the command's help, and exits with 64.
/// </summary>
public static class AppCommands
{
    /// <summary>sysexits' EX_USAGE, which scripts know a wrong command line by.</summary>
    public const int UsageError = 64;

    private static readonly string[] HelpAndVersion = ["-h", "-?", "--help", "--version"];

    /// <summary>
    /// A first argument that is no host setting (<c>--urls URL</c>, <c>Key=Value</c>) is a command, so that a mistyped
    /// verb is refused instead of quietly starting the server.
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args is [var first, ..] && (HelpAndVersion.Contains(first) || !(first.StartsWith('-') || first.StartsWith('/') || first.Contains('=')));

    public static async Task<int> RunAsync(WebApplication app, string[] args, CancellationToken cancellationToken)
    {
        RootCommand root = new("T4K3News: without arguments, the GraphQL server; with one of these commands, that command.")
        {
            ImportCommand.Create(app),
            SchemaCommand.Create(app),
            TokenCommands.Create(app),
            PersistedQueryCommands.Create(app),
        };

        // Arguments are file names and token names, taken literally: no @response files.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count == 0)
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);

        // What was wrong, then the command's help, all on stderr: stdout is kept for what commands print.
        await parsed.InvokeAsync(new InvocationConfiguration { Output = Console.Error }, cancellationToken);
        return UsageError;
    }

    /// <summary>Runs <paramref name="command"/> once the content database is connected and migrated; 1 when it cannot be.</summary>
    internal static async Task<int> WithDatabaseAsync(WebApplication app, Func<Task<int>> command, CancellationToken cancellationToken) =>
        await DatabaseStartup.ConnectAsync(app, cancellationToken) ? await command() : 1;
}
