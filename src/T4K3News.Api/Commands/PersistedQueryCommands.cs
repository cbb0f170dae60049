using System.CommandLine;
using T4K3News.Api.Hosting;
using T4K3News.Api.PersistedQueries;

namespace T4K3News.Api.Commands;

/// <summary><c>persisted-queries register FILE...</c>: the front ends' operations, for allow-list mode. Exit code 2 when a file was refused.</summary>
public static class PersistedQueryCommands
{
    public static Command Create(WebApplication app)
    {
        Argument<string[]> files = new("files") { Description = "GraphQL documents, one file each.", Arity = ArgumentArity.OneOrMore };
        Command register = new("register", "Registers operations: they run in allow-list mode and are never evicted. Exit code 2 when any was refused.") { files };
        register.SetAction((parsed, cancellationToken) => AppCommands.WithDatabaseAsync(app, async () =>
        {
            var store = app.Services.GetRequiredService<PersistedQueryStore>();
            var refused = 0;
            foreach (var file in parsed.GetRequiredValue(files))
            {
                var document = await File.ReadAllTextAsync(RepositoryPaths.Resolve(app.Environment.ContentRootPath, file, mustExist: true), cancellationToken);
                try
                {
                    await store.RegisterAsync(document, cancellationToken);
                    Console.WriteLine($"registered {PersistedQueryStore.Hash(document)} {file}");
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"refused    {file}: {e.Message.Split(" (Parameter")[0]}");
                    refused++;
                }
            }

            return refused == 0 ? 0 : 2;
        }, cancellationToken));
        return new Command("persisted-queries", "The persisted-query store shared by every server instance.") { register };
    }
}
