using System.CommandLine;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using T4K3News.Api.Hosting;

namespace T4K3News.Api.Commands;

/// <summary><c>schema [FILE]</c>: the live schema as SDL, the contract checked in as schema.graphql. Needs no database.</summary>
public static class SchemaCommand
{
    public static Command Create(WebApplication app)
    {
        Argument<string?> file = new("file") { Description = "Write the schema to this file instead of printing it, e.g. src/T4K3News.Api/schema.graphql.", Arity = ArgumentArity.ZeroOrOne };
        Command schema = new("schema", "Prints the GraphQL schema (SDL), or writes it to a file.") { file };
        schema.SetAction(async (parsed, cancellationToken) =>
        {
            var sdl = PrintSchema(app.Services.GetRequiredService<ContentSchema>());
            if (parsed.GetValue(file) is not { } path)
            {
                Console.Write(sdl);
                return 0;
            }

            var schemaFile = RepositoryPaths.Resolve(app.Environment.ContentRootPath, path, mustExist: true);
            await File.WriteAllTextAsync(schemaFile, sdl, cancellationToken);
            Console.WriteLine($"Wrote {schemaFile}.");
            return 0;
        });
        return schema;
    }

    public static string PrintSchema(ISchema schema) =>
        schema.Print(new PrintOptions { IncludeDeprecationReasons = true, IncludeDescriptions = true, StringComparison = StringComparison.Ordinal })
            .ReplaceLineEndings("\n").TrimEnd() + "\n";
}
