using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>A scheduler that looks only once an hour (and on changes): writes around a due time can be watched in order.</summary>
public sealed class IdleSchedulerApi : WebhookApi
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = FastWebhooks(allowPrivateNetworks: true);
            settings["Webhooks:DueCheckInterval"] = "01:00:00";
            return settings;
        }
    }
}

/// <summary>How writes and due times combine into events: each publication told once, as readers see it.</summary>
public sealed class ScheduledPublicationWriteTests(IdleSchedulerApi api) : IClassFixture<IdleSchedulerApi>
{
    [Fact]
    public async Task Rescheduling_a_visible_article_unpublishes_it_and_a_write_after_its_new_time_tells_the_publication_once()
    {
        await api.ClearWebhooksAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var heard = await HeardChanges.ListenAsync(api);
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED");
        var (id, version) = await CreateArticleAsync(admin, "Moved to the evening");

        version = await PublishAsync(admin, id, version);                                         // ARTICLE_PUBLISHED
        version = await PublishAsync(admin, id, version, api.Clock.GetUtcNow().AddHours(1));      // ARTICLE_UNPUBLISHED: readers lose it
        version = await StepAsync(admin, "updateArticle", id, version, new { title = "Moved to the evening, again" }); // scheduled: nothing
        // The scheduler, woken by these writes, has looked (nothing due) and sleeps for its hour.
        await Scheduler.LookedAsync(api, () => heard.All.Any(c => c.Version == version));
        api.Clock.Advance(TimeSpan.FromHours(2));
        // Its time came, and this write comes before the scheduler: it tells the publication itself.
        await StepAsync(admin, "updateArticle", id, version, new { title = "Out this evening" });  // ARTICLE_PUBLISHED

        var deliveries = await api.SettledDeliveriesAsync(3);
        Assert.Equal(["ARTICLE_PUBLISHED", "ARTICLE_UNPUBLISHED", "ARTICLE_PUBLISHED"], deliveries.Select(d => d.EventType));
        Assert.Equal("Out this evening", System.Text.Json.Nodes.JsonNode.Parse(deliveries[^1].Payload)!["data"]!["title"].Text());

        // The scheduler, when it looks, finds nothing left to announce.
        await using (var other = new AnotherWebhookInstance(api))
        {
            other.Clock.Advance(TimeSpan.FromHours(2));
            await other.InitializeAsync();
            await Scheduler.LookedAsync(other); // it looks once as it starts, and then waits
        }

        Assert.Equal(3, (await api.DeliveriesAsync()).Count);
    }
}
