using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

public sealed class InstancesWebhookApi : WebhookApi;

/// <summary>Several server instances on one database: each event is sent once, each due publication announced once.</summary>
public sealed class DueEventAndInstancesTests(InstancesWebhookApi api) : IClassFixture<InstancesWebhookApi>, IAsyncLifetime
{
    public Task InitializeAsync() => api.ClearWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_instances_deliver_each_event_once()
    {
        await using var other = new AnotherWebhookInstance(api);
        await other.InitializeAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(150); // slow answers: both workers are busy at once
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED");
        var otherAdmin = await AdminAsync(other);

        for (var i = 0; i < 8; i++)
        {
            var editor = i % 2 == 0 ? admin : otherAdmin;
            var (id, version) = await CreateArticleAsync(editor, $"Shared story {i}");
            await PublishAsync(editor, id, version);
        }

        // A second send needs a second claim, which counts an attempt: each delivered at its first attempt was sent once,
        // and a delivered one is never claimed again.
        var deliveries = await api.SettledDeliveriesAsync(8);
        Assert.Equal(8, deliveries.Count);
        Assert.Equal(8, receiver.Received.Count);
        Assert.Equal(8, receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
    }

    [Fact]
    public async Task A_scheduled_article_is_announced_once_when_its_time_comes_also_with_two_instances()
    {
        await using var other = new AnotherWebhookInstance(api);
        await other.InitializeAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED", "ARTICLE_UPDATED");
        using var heard = await HeardChanges.ListenAsync(other);
        using var heardHere = await HeardChanges.ListenAsync(api);

        var (id, version) = await CreateArticleAsync(admin, "Due at noon");
        var scheduled = await PublishAsync(admin, id, version, api.Clock.GetUtcNow().AddHours(1));
        // Each scheduler has looked since it heard of the schedule: not due yet.
        await Scheduler.LookedAsync(api, () => heardHere.All.Any(c => c.Version == scheduled));
        await Scheduler.LookedAsync(other, () => heard.All.Any(c => c.Version == scheduled));
        Assert.Empty(await api.DeliveriesAsync());
        Assert.Null((await api.CreateGraphQLClient().QueryAsync("""{ article(slug: "due-at-noon") { slug } }"""))["article"]);

        // Both instances past the due time (the other's clock starts at the real time), and this one's put back after.
        api.Clock.Advance(TimeSpan.FromHours(2));
        other.Clock.Advance(api.Clock.GetUtcNow() - other.Clock.GetUtcNow());
        try
        {
            var received = Assert.Single(await receiver.WaitForAsync(1));
            // A marker written after the announcement: the feed hears changes in the order they committed, so a second
            // announcement would be heard before it; and both schedulers have looked again since.
            var (marker, _) = await CreateArticleAsync(admin, "Marker after noon");
            await Scheduler.LookedAsync(api, () => heardHere.All.Any(c => c.ArticleId == DecodeId(marker)));
            await Scheduler.LookedAsync(other, () => heard.All.Any(c => c.ArticleId == DecodeId(marker)));
            Assert.Single(receiver.Received);
            Assert.Equal("ARTICLE_PUBLISHED", received.Json["type"].Text());
            Assert.Equal(id, received.Json["data"]!["id"].Text());
            var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
            Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (delivery.Status, delivery.Attempts));
            var due = Assert.Single(heard.All, change => change.ChangedFields.SequenceEqual(DuePublications.ChangedFields));
            Assert.Equal(("schedule", version + 1), (due.Author, due.Version));
            Assert.Equal("due-at-noon", (await other.CreateGraphQLClient().QueryAsync("""{ article(slug: "due-at-noon") { slug } }"""))["article"]!["slug"].Text());
        }
        finally
        {
            api.Clock.Advance(-TimeSpan.FromHours(2));
        }
    }

    [Fact]
    public async Task A_publication_that_came_due_while_no_instance_ran_is_announced_at_the_next_start()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED");
        var (id, version) = await CreateArticleAsync(admin, "Due while down");
        var due = api.Clock.GetUtcNow().AddMinutes(30);
        await PublishAsync(admin, id, version, due);

        // This instance's clock stays: it never sees the time come. One started later, at a later time, does.
        await using var later = new AnotherWebhookInstance(api);
        later.Clock.Advance(due.AddMinutes(30) - later.Clock.GetUtcNow());
        await later.InitializeAsync();

        var received = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(("ARTICLE_PUBLISHED", id), (received.Json["type"].Text(), received.Json["data"]!["id"].Text()));
        // Announced in the transaction that took its schedule away: nothing is left to announce it again.
        await using var db = api.CreateDbContext();
        Assert.Empty(db.ScheduledPublications);
        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (delivery.Status, delivery.Attempts));
    }

    private static int DecodeId(string id) => int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(id)).Split(':')[1]);
}
