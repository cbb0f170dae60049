using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Subscriptions;
using T4K3News.Api.Webhooks;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Webhooks;

/// <summary>A server whose webhook worker retries fast and may post to loopback receivers; empty database.</summary>
public class WebhookApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => FastWebhooks(allowPrivateNetworks: true);

    public static Dictionary<string, string?> FastWebhooks(bool allowPrivateNetworks) => new()
    {
        ["Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.2",
        ["Webhooks:PollInterval"] = "00:00:00.5",
        ["Webhooks:DueCheckInterval"] = "00:00:00.2",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:MaxWebhooks"] = "5",
        ["Webhooks:Timeout"] = "00:00:05",
    };

    /// <summary>No webhooks (and so no deliveries) left from an earlier test.</summary>
    public async Task ClearWebhooksAsync()
    {
        await using var db = CreateDbContext();
        await db.Webhooks.ExecuteDeleteAsync();
    }

    public async Task<List<WebhookDelivery>> DeliveriesAsync()
    {
        await using var db = CreateDbContext();
        return await db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    /// <summary>Waits until every delivery is out of Pending (or fails after the timeout).</summary>
    public async Task<List<WebhookDelivery>> SettledDeliveriesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var deliveries = await DeliveriesAsync();
            if (deliveries.Count >= count && deliveries.All(d => d.Status != WebhookDeliveryStatus.Pending))
                return deliveries;
            Assert.True(DateTime.UtcNow < deadline, $"Deliveries did not settle: {string.Join(", ", deliveries.Select(d => $"{d.EventType} {d.Status} {d.Attempts}"))}");
            await Task.Delay(50);
        }
    }
}

/// <summary>The article changes one instance's change feed hears, in order.</summary>
public sealed class HeardChanges : IObserver<ArticleChange>, IDisposable
{
    private readonly ConcurrentQueue<ArticleChange> changes = new();
    private IDisposable? subscription;

    public IReadOnlyList<ArticleChange> All => changes.ToArray();

    public static async Task<HeardChanges> ListenAsync(ContentApi instance)
    {
        var heard = new HeardChanges();
        var feed = instance.Services.GetRequiredService<ArticleChangeFeed>();
        heard.subscription = feed.Subscribe(heard);
        await feed.Listening;
        return heard;
    }

    /// <summary>Waits until a change matching <paramref name="match"/> is heard (or fails after the timeout).</summary>
    public async Task WaitForAsync(Func<ArticleChange, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!changes.Any(match))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The change was not heard: {string.Join(", ", All)}");
            await Task.Delay(20);
        }
    }

    public void OnNext(ArticleChange value) => changes.Enqueue(value);

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose() => subscription?.Dispose();
}

public static class Scheduler
{
    /// <summary>
    /// Waits until the instance's due-event scheduler has looked at the schedule since every wake-up it was given, and
    /// waits again: after <paramref name="heard"/> (the feed has heard a change, which wakes the scheduler), it has
    /// looked since that change.
    /// </summary>
    public static async Task LookedAsync(ContentApi instance, Func<bool>? heard = null)
    {
        var signal = instance.Services.GetRequiredService<WebhookSignals>().Schedule;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(heard?.Invoke() ?? true) || !signal.IsIdle)
        {
            Assert.True(DateTime.UtcNow < deadline, "The scheduler did not come to rest.");
            await Task.Delay(20);
        }
    }
}

/// <summary>A second instance on the same database with the same webhook settings.</summary>
public sealed class AnotherWebhookInstance(ContentApi first, IDictionary<string, string?>? settings = null) : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => settings ?? WebhookApi.FastWebhooks(allowPrivateNetworks: true);

    public override Task InitializeAsync()
    {
        ConnectionString = first.ConnectionString;
        StartServer();
        return Task.CompletedTask;
    }
}

public static class Newsroom
{
    public const string CreateWebhook = """
        mutation ($input: CreateWebhookInput!) {
          createWebhook(input: $input) {
            webhook { id url events description } secret
            errors { __typename ... on Error { message } ... on ValidationError { path } ... on WebhookLimitError { limit } }
          }
        }
        """;

    public static async Task<GraphQLClient> AdminAsync(ContentApi api) => await api.CreateClientWithRoleAsync(TokenRole.Admin);

    /// <summary>A webhook to <paramref name="url"/> for <paramref name="events"/>: its id and secret.</summary>
    public static async Task<(string Id, string Secret)> CreateWebhookAsync(GraphQLClient admin, string url, params string[] events)
    {
        var payload = (await admin.QueryAsync(CreateWebhook, new { input = new { url, events, description = "test receiver" } }))["createWebhook"]!;
        Assert.Null(payload["errors"]);
        return (payload["webhook"]!["id"].Text()!, payload["secret"].Text()!);
    }

    public static async Task<(string Id, int Version)> CreateArticleAsync(GraphQLClient editor, string title)
    {
        var payload = (await editor.QueryAsync("""
            mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } errors { __typename } } }
            """, new { input = new { title, standfirst = $"Standfirst of {title}", body = $"Body of {title}" } }))["createArticle"]!;
        Assert.Null(payload["errors"]);
        return (payload["article"]!["id"].Text()!, payload["article"]!["version"]!.GetValue<int>());
    }

    public static async Task<int> PublishAsync(GraphQLClient editor, string id, int version, DateTimeOffset? at = null)
    {
        var payload = (await editor.QueryAsync("""
            mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { article { version } errors { __typename } } }
            """, new { input = new { id, expectedVersion = version, at } }))["publishArticle"]!;
        Assert.Null(payload["errors"]);
        return payload["article"]!["version"]!.GetValue<int>();
    }

    /// <summary>Runs a mutation taking <c>{ id, expectedVersion }</c> and returns the article's new version (0 when it is gone).</summary>
    public static async Task<int> StepAsync(GraphQLClient editor, string mutation, string id, int version, object? extra = null)
    {
        var input = new JsonObject { ["id"] = id, ["expectedVersion"] = version };
        if (extra is not null)
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject().ToList())
                input[key] = value?.DeepClone();
        var typeName = char.ToUpperInvariant(mutation[0]) + mutation[1..];
        var payload = (await editor.QueryAsync($$"""
            mutation ($input: {{typeName}}Input!) { {{mutation}}(input: $input) { article { version } errors { __typename } } }
            """, new { input }))[mutation]!;
        Assert.Null(payload["errors"]);
        return payload["article"]?["version"]?.GetValue<int>() ?? 0;
    }

    public static HttpStatusCode Status(int code) => (HttpStatusCode)code;
}
