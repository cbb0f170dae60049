using Microsoft.EntityFrameworkCore;
using Npgsql;
using T4K3News.Content;
using T4K3News.DevTools;
using Testcontainers.PostgreSql;

namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run: the connection string in T4K3NEWS_TEST_DATABASE when set, else a
/// Testcontainers PostgreSQL when a Docker engine answers, else a throwaway local cluster. It holds a template
/// database migrated once; every test class gets its own copy of it.
/// </summary>
public sealed class TestDatabaseServer
{
    public const string ConnectionStringVariable = "T4K3NEWS_TEST_DATABASE";
    private const string TemplateName = "t4k3news_template";

    private static readonly Lazy<Task<TestDatabaseServer>> Shared = new(StartAsync);
    private static int databaseCounter;
    private readonly SemaphoreSlim cloning = new(1, 1);
    private readonly string adminConnectionString;

    private TestDatabaseServer(string adminConnectionString, string kind)
    {
        this.adminConnectionString = adminConnectionString;
        Kind = kind;
    }

    /// <summary>Where the server came from: "configured", "testcontainers" or "local-cluster".</summary>
    public string Kind { get; }

    public static Task<TestDatabaseServer> InstanceAsync() => Shared.Value;

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t4k3news_test_{Environment.ProcessId}_{Interlocked.Increment(ref databaseCounter)}";
        await cloning.WaitAsync();
        try
        {
            await ExecuteAsync($"""DROP DATABASE IF EXISTS "{name}" """);
            await ExecuteAsync($"""CREATE DATABASE "{name}" TEMPLATE "{TemplateName}" """);
        }
        finally
        {
            cloning.Release();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<TestDatabaseServer> StartAsync()
    {
        var (connectionString, kind) = await ConnectAsync();
        var server = new TestDatabaseServer(connectionString, kind);
        await server.CreateTemplateAsync();
        return server;
    }

    private static async Task<(string ConnectionString, string Kind)> ConnectAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } configured)
            return (configured, "configured");

        if (await TryTestcontainersAsync() is { } container)
            return (container, "testcontainers");

        if (LocalPostgresCluster.FindBinDirectory() is null)
            throw new InvalidOperationException(
                $"The tests need PostgreSQL: set {ConnectionStringVariable}, start a Docker engine, or install the PostgreSQL server binaries. {LocalPostgresCluster.MissingBinariesMessage}");

        var cluster = await LocalPostgresCluster.StartThrowawayAsync(CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (cluster.ConnectionString, "local-cluster");
    }

    private static async Task<string?> TryTestcontainersAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var container = new PostgreSqlBuilder("postgres:15-alpine")
                .WithEnvironment("POSTGRES_INITDB_ARGS", $"--locale={LocalPostgresCluster.Locale}")
                .Build();
            await container.StartAsync(timeout.Token);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No Docker engine here: the local cluster takes over.
            return null;
        }
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"""DROP DATABASE IF EXISTS "{TemplateName}" """);
        await ExecuteAsync($"""CREATE DATABASE "{TemplateName}" """);
        var templateConnection = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = TemplateName, Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<ContentDbContext>();
        ContentDatabase.Configure(options, templateConnection);
        await using (var db = new ContentDbContext(options.Options))
            await ContentDatabase.MigrateAsync(db, CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
