using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Auth;
using T4K3News.Content.Import;
using T4K3News.DevTools;

namespace T4K3News.Api.Hosting;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending EF Core migrations when the server starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Where the private local cluster keeps its data when no connection string is configured.</summary>
    public string LocalDataPath { get; set; } = ".data/postgres";

    /// <summary>The database created in the private local cluster.</summary>
    public string LocalDatabaseName { get; set; } = "t4k3news";

    /// <summary>The folder with PostgreSQL's initdb and pg_ctl; when empty, they are looked for on PATH and under /usr/lib/postgresql/*/bin.</summary>
    public string PostgresBinPath { get; set; } = "";
}

/// <summary>Connects the content database before anything serves: the configured connection string, or else a private PostgreSQL cluster.</summary>
public static class DatabaseStartup
{
    /// <summary>Connects (and migrates) the database, then imports the seeds when configured to; false when the server cannot start.</summary>
    public static async Task<bool> PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        if (!await ConnectAsync(app, cancellationToken))
            return false;
        var import = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value;
        if (import.OnStartup)
            await ImportSeedsAsync(app.Services, RepositoryPaths.Resolve(app.Environment.ContentRootPath, import.SeedsPath, mustExist: true), cancellationToken);
        return true;
    }

    public static async Task<bool> ConnectAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("T4K3News.Database");
        var database = app.Services.GetRequiredService<ContentDatabase>();
        var options = app.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        var configured = app.Configuration.GetConnectionString(ContentDatabase.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            database.ConnectionString = configured;
        }
        else
        {
            if (LocalPostgresCluster.FindBinDirectory(options.PostgresBinPath) is not { } bin)
            {
                Console.Error.WriteLine(LocalPostgresCluster.MissingBinariesMessage);
                return false;
            }

            var dataPath = RepositoryPaths.Resolve(app.Environment.ContentRootPath, options.LocalDataPath, mustExist: false);
            LocalPostgresCluster cluster;
            try
            {
                cluster = await LocalPostgresCluster.StartPersistentAsync(bin, dataPath, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"Could not start the local PostgreSQL cluster in {dataPath}: {e.Message}");
                return false;
            }

            app.Lifetime.ApplicationStopped.Register(() => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult());
            await cluster.EnsureDatabaseAsync(options.LocalDatabaseName, cancellationToken);
            database.ConnectionString = cluster.ConnectionStringFor(options.LocalDatabaseName);
            log.LogInformation("No ConnectionStrings:Content configured: using the local PostgreSQL cluster in {Path} on port {Port}", dataPath, cluster.Port);
        }

        if (options.MigrateOnStartup)
            await MigrateAsync(app.Services, cancellationToken);
        if (string.IsNullOrWhiteSpace(configured))
            await OfferFirstEditorTokenAsync(app.Services, cancellationToken);
        return true;
    }

    /// <summary>On the first start of the local database, a ready editor token, so a newcomer can try mutations at once.</summary>
    private static async Task OfferFirstEditorTokenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var tokens = services.GetRequiredService<ApiTokens>();
        if (await tokens.AnyAsync(cancellationToken))
            return;
        var issued = await tokens.CreateAsync("local-editor", TokenRole.Editor, lifetime: null, cancellationToken);
        Console.WriteLine($"""

            First start of the local database: an editor token was created (shown only now).
            In Banana Cake Pop, open the connection settings and add the header  Authorization: Bearer {issued.Secret}

            """);
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ContentDbContext>>().CreateDbContextAsync(cancellationToken);
        await ContentDatabase.MigrateAsync(db, cancellationToken);
    }

    public static async Task<ImportReport> ImportSeedsAsync(IServiceProvider services, string folder, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<SeedImporter>().ImportFolderAsync(folder, cancellationToken);
        foreach (var document in report.Documents)
            Console.WriteLine(document);
        foreach (var warning in report.Warnings)
            Console.WriteLine($"warning   {warning}");
        Console.WriteLine($"Import of {folder}: {report.Summary}.");
        return report;
    }
}
