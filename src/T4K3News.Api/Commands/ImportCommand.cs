using System.CommandLine;
using T4K3News.Api.Hosting;
using T4K3News.Content.Import;

namespace T4K3News.Api.Commands;

/// <summary><c>import FOLDER</c>: the seed import the server runs at start-up, on demand. Exit code 2 when a document failed.</summary>
public static class ImportCommand
{
    public static Command Create(WebApplication app)
    {
        Argument<string> folder = new("folder") { Description = "The folder of source documents (*.txt) and tags.json, e.g. seeds/." };
        Command import = new("import", "Imports the source documents of a folder: one line per document, then a summary. Exit code 2 when any failed.") { folder };
        import.SetAction((parsed, cancellationToken) => AppCommands.WithDatabaseAsync(app, async () =>
        {
            var path = RepositoryPaths.Resolve(app.Environment.ContentRootPath, parsed.GetRequiredValue(folder), mustExist: true);
            var report = await DatabaseStartup.ImportSeedsAsync(app.Services, path, cancellationToken);
            return report.Count(ImportOutcome.Failed) == 0 ? 0 : 2;
        }, cancellationToken));
        return import;
    }
}
