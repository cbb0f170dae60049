using System.CommandLine;
using T4K3News.Api.Hosting;

namespace T4K3News.Api.Commands;

/// <summary><c>migrations add NAME</c>: EF Core's scaffolder, without the dotnet-ef tool.</summary>
public static class MigrationsCommand
{
    public static Command Create(WebApplication app)
    {
        Argument<string> name = new("name") { Description = "The migration's name, e.g. AddBylines." };
        Command add = new("add", "Scaffolds a migration from the model's changes into migrations/T4K3News.Migrations.") { name };
        add.SetAction(parsed => MigrationScaffolding.Add(parsed.GetRequiredValue(name), app.Environment.ContentRootPath));
        return new Command("migrations", "EF Core migrations.") { add };
    }
}
