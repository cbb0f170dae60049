using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using T4K3News.Content;
using T4K3News.Migrations;

namespace T4K3News.Api.Hosting;

/// <summary>
/// `-- migrations add NAME`: what `dotnet ef migrations add` does, for machines where the dotnet-ef tool cannot be
/// installed. It drives EF Core's own scaffolder, so the files are the ones dotnet-ef would write.
/// </summary>
public static class MigrationScaffolding
{
    public static int Add(string name, string contentRoot)
    {
        using var db = new DesignTimeContentDbContextFactory().CreateDbContext([]);
        var services = new ServiceCollection()
            .AddEntityFrameworkDesignTimeServices()
            .AddDbContextDesignTimeServices(db);
#pragma warning disable EF1001 // the provider's design-time services have no public entry point but this one
        new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
#pragma warning restore EF1001
        using var provider = services.BuildServiceProvider();

        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(name, ContentDatabase.MigrationsAssembly, subNamespace: null, language: "C#");
        var projectDirectory = RepositoryPaths.Resolve(contentRoot, "migrations/T4K3News.Migrations", mustExist: false);
        var files = scaffolder.Save(projectDirectory, migration, Path.Combine(projectDirectory, "Migrations"));
        Console.WriteLine($"Wrote {files.MigrationFile}, {files.MetadataFile} and {files.SnapshotFile}.");
        return 0;
    }
}
