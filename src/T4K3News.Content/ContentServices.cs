using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Import;

namespace T4K3News.Content;

/// <summary>Where the content lives; the host sets it once at start-up, from configuration or a local cluster it started.</summary>
public sealed class ContentDatabase
{
    public const string ConnectionStringName = "Content";
    public const string MigrationsAssembly = "T4K3News.Migrations";

    private string? connectionString;

    public string ConnectionString
    {
        get => connectionString ?? throw new InvalidOperationException("The content database is not connected yet.");
        set => connectionString = value;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(Tuned(connectionString), npgsql => npgsql.MigrationsAssembly(MigrationsAssembly));

    /// <summary>
    /// Pooled connections keep their prepared statements: no <c>DISCARD ALL</c> each time one is reused (nothing here
    /// leaves session state behind: advisory locks are per transaction), and statements run often are prepared.
    /// Settings given in the connection string win.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!given.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        if (!given.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 100;
        return builder.ConnectionString;
    }

    /// <summary>Applies the pending migrations, with nothing logged as a failure on an empty database.</summary>
    public static async Task MigrateAsync(ContentDbContext db, CancellationToken cancellationToken)
    {
        // Npgsql's migrator first reads the history table and treats "relation does not exist" as "nothing applied"; on
        // an empty database that probe is caught, but EF Core has already logged it as a failed command
        // (npgsql/efcore.pg#3407). Creating the table first, as the migrator itself does a moment later (IF NOT EXISTS,
        // safe against a concurrent start), makes the probe succeed. Real command failures still log as failures.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}

public static class ContentServices
{
    /// <summary>Registers the DbContext factory (resolvers and loaders each open their own context), the importer and the clock.</summary>
    public static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddSingleton<ContentDatabase>();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<ContentDbContext>((provider, options) =>
        {
            ContentDatabase.Configure(options, provider.GetRequiredService<ContentDatabase>().ConnectionString);
            options.AddInterceptors(provider.GetServices<IInterceptor>());
        });
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        services.AddTransient<SeedImporter>();
        services.AddOptions<Articles.PublishingOptions>().BindConfiguration(Articles.PublishingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DefaultPublication) && Editing.StoredText.Problem(o.DefaultPublication, Publications.PublicationLimits.Name) is null,
                $"Publishing:DefaultPublication is a name of 1 to {Publications.PublicationLimits.Name} characters.")
            .ValidateOnStart();
        services.AddTransient<Articles.ArticleEditor>();
        services.AddTransient<Tags.TagEditor>();
        services.AddTransient<Authors.AuthorEditor>();
        services.AddTransient<Corrections.CorrectionDesk>();
        services.AddOptions<Auth.TokenCacheOptions>().BindConfiguration(Auth.TokenCacheOptions.Section);
        services.AddSingleton<Auth.ApiTokenCache>();
        services.AddTransient<Auth.ApiTokens>();
        services.AddOptions<Audit.AuditOptions>().BindConfiguration(Audit.AuditOptions.Section)
            .Validate(o => o.DeniedRetention > TimeSpan.Zero,
                "Audit:DeniedRetention is a positive time span, e.g. 7.00:00:00.")
            .ValidateOnStart();
        services.AddScoped<Audit.AuditLog>();
        return services;
    }
}
