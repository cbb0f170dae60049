using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Hosting;

/// <summary>The commands the host runs instead of serving: <c>import FOLDER</c>, <c>schema [FILE]</c> and <c>migrations add NAME</c>.</summary>
public static class CommandLine
{
    public static readonly string[] Commands = ["import", "schema", "migrations", "tokens", "persisted-queries"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args, CancellationToken cancellationToken)
    {
        switch (args[0])
        {
            case "schema" when args.Length == 1:
                Console.Write(PrintSchema(app.Services.GetRequiredService<ContentSchema>()));
                return 0;
            case "schema" when args.Length == 2:
                var schemaFile = RepositoryPaths.Resolve(app.Environment.ContentRootPath, args[1], mustExist: true);
                await File.WriteAllTextAsync(schemaFile, PrintSchema(app.Services.GetRequiredService<ContentSchema>()), cancellationToken);
                Console.WriteLine($"Wrote {schemaFile}.");
                return 0;
            case "import" when args.Length == 2:
                if (!await DatabaseStartup.ConnectAsync(app, cancellationToken))
                    return 1;
                var folder = RepositoryPaths.Resolve(app.Environment.ContentRootPath, args[1], mustExist: true);
                var report = await DatabaseStartup.ImportSeedsAsync(app.Services, folder, cancellationToken);
                return report.Count(Content.Import.ImportOutcome.Failed) == 0 ? 0 : 2;
            case "tokens":
                if (!await DatabaseStartup.ConnectAsync(app, cancellationToken))
                    return 1;
                return await TokenCommands.RunAsync(app.Services.GetRequiredService<Content.Auth.ApiTokens>(), args[1..], cancellationToken);
            case "persisted-queries" when args.Length >= 3 && args[1] == "register":
                if (!await DatabaseStartup.ConnectAsync(app, cancellationToken))
                    return 1;
                var store = app.Services.GetRequiredService<PersistedQueries.PersistedQueryStore>();
                var refused = 0;
                foreach (var file in args[2..])
                {
                    var document = await File.ReadAllTextAsync(RepositoryPaths.Resolve(app.Environment.ContentRootPath, file, mustExist: true), cancellationToken);
                    try
                    {
                        await store.RegisterAsync(document, cancellationToken);
                        Console.WriteLine($"registered {PersistedQueries.PersistedQueryStore.Hash(document)} {file}");
                    }
                    catch (ArgumentException e)
                    {
                        Console.Error.WriteLine($"refused    {file}: {e.Message.Split(" (Parameter")[0]}");
                        refused++;
                    }
                }

                return refused == 0 ? 0 : 2;
            case "migrations" when args.Length == 3 && args[1] == "add":
                return MigrationScaffolding.Add(args[2], app.Environment.ContentRootPath);
            default:
                Console.Error.WriteLine($"Usage: dotnet run --project src/T4K3News.Api -- [import FOLDER | schema [FILE] | migrations add NAME | persisted-queries register FILE... | {TokenCommands.Usage}]");
                return 64;
        }
    }

    public static string PrintSchema(ISchema schema) =>
        schema.Print(new PrintOptions { IncludeDeprecationReasons = true, IncludeDescriptions = true, StringComparison = StringComparison.Ordinal })
            .ReplaceLineEndings("\n").TrimEnd() + "\n";
}
