using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

public sealed class SmallPersistedQueryStoreApi : ContentApi
{
    public const int MaxCount = 3;
    public const int MaxBytes = 1_000;

    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:PersistedQueryMaxCount"] = MaxCount.ToString(),
        ["GraphQL:PersistedQueryMaxBytes"] = MaxBytes.ToString(),
    };
}

/// <summary>What anonymous clients may leave in the persisted-query store: valid documents only, within a quota, the least recently used going first.</summary>
public sealed class PersistedQueryStoreTests(SmallPersistedQueryStoreApi api) : IClassFixture<SmallPersistedQueryStoreApi>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await using var db = api.CreateDbContext();
        await db.PersistedQueries.ExecuteDeleteAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_document_is_stored_only_once_it_parses_and_validates()
    {
        using var client = api.CreateClient();

        var syntax = await PersistedQueries.SendAsync(client, "{ article(slug: ");
        var invalid = await PersistedQueries.SendAsync(client, "{ noSuchField }");
        var valid = await PersistedQueries.SendAsync(client, "{ stored: __typename }");

        Assert.Equal("SYNTAX_ERROR", syntax["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", invalid["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("Query", valid["data"]!["stored"].Text());
        Assert.Equal([PersistedQueries.Sha256("{ stored: __typename }")], await StoredHashesAsync());
    }

    [Fact]
    public async Task Beyond_the_count_quota_the_least_recently_used_automatic_entry_goes_and_registered_ones_stay()
    {
        const string registered = "{ registered: __typename }";
        await PersistedQueries.RegisterAsync(api.ConnectionString, registered);
        using var client = api.CreateClient();
        string[] queries = ["{ q1: __typename }", "{ q2: __typename }", "{ q3: __typename }", "{ q4: __typename }"];

        foreach (var query in queries[..3])
        {
            await PersistedQueries.SendAsync(client, query);
            api.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        var used = await PersistedQueries.GetByHashAsync(client, queries[0]);
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        await PersistedQueries.SendAsync(client, queries[3]);
        using var freshInstance = api.WithWebHostBuilder(_ => { });
        using var freshClient = freshInstance.CreateClient();
        var evicted = await PersistedQueries.GetByHashAsync(freshClient, queries[1]);
        var kept = await PersistedQueries.GetByHashAsync(freshClient, queries[0]);
        var stillRegistered = await PersistedQueries.GetByHashAsync(freshClient, registered);

        Assert.Equal("Query", used["data"]!["q1"].Text());
        Assert.Equal(new[] { registered, queries[0], queries[2], queries[3] }.Select(PersistedQueries.Sha256).Order(), await StoredHashesAsync());
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", evicted["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("Query", kept["data"]!["q1"].Text());
        Assert.Equal("Query", stillRegistered["data"]!["registered"].Text());
    }

    [Fact]
    public async Task Beyond_the_byte_quota_the_least_recently_used_automatic_entries_go()
    {
        using var client = api.CreateClient();
        var documents = Enumerable.Range(1, 3).Select(i => $"# {new string('x', 380)}\n{{ big{i}: __typename }}").ToList();

        foreach (var document in documents)
        {
            await PersistedQueries.SendAsync(client, document);
            api.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal(documents[1..].Select(PersistedQueries.Sha256).Order(), await StoredHashesAsync());
    }

    [Fact]
    public async Task Using_an_entry_records_its_use_at_most_once_a_minute()
    {
        const string query = "{ often: __typename }";
        using var client = api.CreateClient();
        await PersistedQueries.SendAsync(client, query);
        var stored = await LastUsedAsync(query);

        api.Clock.Advance(TimeSpan.FromSeconds(30));
        await PersistedQueries.GetByHashAsync(client, query);
        var afterThirtySeconds = await LastUsedAsync(query);
        api.Clock.Advance(TimeSpan.FromSeconds(45));
        await PersistedQueries.GetByHashAsync(client, query);
        var afterSeventyFiveSeconds = await LastUsedAsync(query);

        Assert.Equal(stored, afterThirtySeconds);
        Assert.InRange(afterSeventyFiveSeconds - stored, TimeSpan.FromSeconds(75), TimeSpan.FromSeconds(90));
    }

    private async Task<List<string>> StoredHashesAsync()
    {
        await using var db = api.CreateDbContext();
        return await db.PersistedQueries.Select(q => q.Hash).OrderBy(h => h).ToListAsync();
    }

    private async Task<DateTime> LastUsedAsync(string query)
    {
        var hash = PersistedQueries.Sha256(query);
        await using var db = api.CreateDbContext();
        return await db.PersistedQueries.Where(q => q.Hash == hash).Select(q => q.LastUsedAt).SingleAsync();
    }
}

/// <summary>Several instances behind a load balancer, one in allow-list mode: a registration made anywhere counts everywhere at once.</summary>
public sealed class PersistedQueryInstancesTests(AllowListApi api) : IClassFixture<AllowListApi>
{
    [Fact]
    public async Task An_allow_list_server_runs_an_operation_as_soon_as_another_instance_registers_it()
    {
        const string query = "{ tags(first: 2) { nodes { slug } } }";
        using var automaticInstance = api.WithWebHostBuilder(builder => builder.UseSetting("GraphQL:PersistedQueries", "Automatic"));
        using var automaticClient = automaticInstance.CreateClient();
        using var client = api.CreateClient();

        var learnedByTheAutomaticInstance = await PersistedQueries.SendAsync(automaticClient, query);
        var refusedBefore = await PersistedQueries.GetByHashAsync(client, query);
        var refusedInFullBefore = await api.CreateGraphQLClient().PostAsync(query);
        await PersistedQueries.RegisterAsync(api.ConnectionString, query);
        var byHashAfter = await PersistedQueries.GetByHashAsync(client, query);
        var inFullAfter = await api.CreateGraphQLClient().PostAsync(query);

        Assert.Null(learnedByTheAutomaticInstance["errors"]);
        Assert.Equal("PERSISTED_QUERY_NOT_ALLOWED", refusedBefore["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("PERSISTED_QUERY_NOT_ALLOWED", refusedInFullBefore.FirstErrorCode);
        Assert.Equal(2, byHashAfter["data"]!["tags"]!["nodes"]!.AsArray().Count);
        Assert.Null(inFullAfter.Errors);
    }
}

internal static class PersistedQueries
{
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonObject Extensions(string query) =>
        new() { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = Sha256(query) } };

    /// <summary>Sends a document with its hash, as an Apollo client does after PERSISTED_QUERY_NOT_FOUND.</summary>
    public static async Task<JsonNode> SendAsync(HttpClient client, string query)
    {
        var body = new JsonObject { ["query"] = query, ["extensions"] = Extensions(query) };
        using var response = await client.PostAsync("/graphql", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Asks for a document by its hash alone, over GET.</summary>
    public static async Task<JsonNode> GetByHashAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/graphql?extensions={Uri.EscapeDataString(Extensions(query).ToJsonString())}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>`persisted-queries register FILE`, run by an operator as its own process: another instance.</summary>
    public static async Task RegisterAsync(string connectionString, string query)
    {
        var file = Path.Combine(Path.GetTempPath(), $"t4k3news-{Guid.NewGuid():N}.graphql");
        await File.WriteAllTextAsync(file, query);
        try
        {
            var (exitCode, output) = await ApiCommand.RunAsync(connectionString, "persisted-queries", "register", file);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
