using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using T4K3News.Content;
using T4K3News.Content.Auth;
using T4K3News.Content.Import;

namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// The real server (every middleware, the real endpoint) on its own fresh database, for one test class.
/// The seed folder is imported on start-up unless a test class says otherwise.
/// </summary>
public class ContentApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; protected set; } = "";
    public StatementCounter Statements { get; } = new();
    public TestClock Clock { get; } = new();
    public LogRecorder Logs { get; } = new();

    /// <summary>The seeds folder imported at start-up; null imports nothing.</summary>
    protected virtual string? SeedsFolder => RepositoryPaths.Seeds;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>ASPNETCORE_ENVIRONMENT as the server sees it; Development changes what errors tell.</summary>
    protected virtual string EnvironmentName => "Testing";

    /// <summary>
    /// Serve on a loopback port through Kestrel instead of the in-memory test server: for WebSocket tests that depend
    /// on the real socket (the in-memory one never blocks a send, checks no UTF-8 and accepts any close reason).
    /// </summary>
    public virtual bool ListensOnLoopback => false;

    public virtual async Task InitializeAsync()
    {
        var server = await TestDatabaseServer.InstanceAsync();
        ConnectionString = await server.CreateDatabaseAsync();
        if (ListensOnLoopback)
            UseKestrel(0);
        StartServer(); // migrations and the seed import run now, not in the first test
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public GraphQLClient CreateGraphQLClient(string? token = null)
    {
        var http = CreateClient();
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new GraphQLClient(http);
    }

    /// <summary>A client whose requests arrive from this address (as the TCP peer), carrying the token when one is given.</summary>
    public GraphQLClient CreateGraphQLClientFrom(System.Net.IPAddress address, string? token = null)
    {
        var http = new HttpClient(Server.CreateHandler(context => context.Connection.RemoteIpAddress = address)) { BaseAddress = new Uri("http://localhost") };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new GraphQLClient(http);
    }

    /// <summary>A client carrying a fresh token with this role.</summary>
    public async Task<GraphQLClient> CreateClientWithRoleAsync(TokenRole role, TimeSpan? lifetime = null) =>
        CreateGraphQLClient(await CreateTokenAsync(role, lifetime));

    /// <summary>A new token's secret.</summary>
    public async Task<string> CreateTokenAsync(TokenRole role, TimeSpan? lifetime = null) =>
        (await Services.GetRequiredService<ApiTokens>().CreateAsync($"{role}-{Guid.NewGuid():N}", role, lifetime, default)).Secret;

    public ContentDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<ContentDbContext>>().CreateDbContext();

    public SeedImporter CreateImporter() => Services.GetRequiredService<SeedImporter>();

    /// <summary>Empties every content table, for test classes whose tests each start from nothing.</summary>
    public async Task ClearContentAsync()
    {
        await using var db = CreateDbContext();
        await db.Database.ExecuteSqlRawAsync(
            "TRUNCATE \"RelatedArticles\", \"ArticleTags\", \"Articles\", \"Tags\", \"Publications\" RESTART IDENTITY CASCADE");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Content", ConnectionString);
        builder.UseSetting("Import:OnStartup", SeedsFolder is null ? "false" : "true");
        builder.UseSetting("Import:SeedsPath", SeedsFolder ?? RepositoryPaths.Seeds);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IInterceptor>(Statements);
            services.AddSingleton<T4K3News.Api.Reading.IReadStatementObserver>(Statements);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

/// <summary>A second server instance on the database of another, as behind a load balancer.</summary>
public sealed class AnotherInstance(ContentApi first, IDictionary<string, string?>? settings = null) : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => settings ?? base.Settings;

    public override Task InitializeAsync()
    {
        ConnectionString = first.ConnectionString;
        StartServer();
        return Task.CompletedTask;
    }
}

/// <summary>A server with an empty database, for tests that import documents themselves.</summary>
public sealed class EmptyContentApi : ContentApi
{
    protected override string? SeedsFolder => null;
}
