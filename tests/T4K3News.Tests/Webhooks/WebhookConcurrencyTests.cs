using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>Attempts that may hang for long: a receiver the test holds keeps its attempts under way until let go.</summary>
public sealed class PatientWebhookApi : WebhookApi
{
    protected override IDictionary<string, string?> Settings => PatientWebhooks();

    public static Dictionary<string, string?> PatientWebhooks()
    {
        var settings = FastWebhooks(allowPrivateNetworks: true);
        settings["Webhooks:Timeout"] = "00:01:00";
        settings["Webhooks:MaxConcurrentDeliveries"] = "4";
        return settings;
    }
}

/// <summary>Each attempt on its own: leased when it starts, never held up by another receiver's slow answer.</summary>
public sealed class WebhookConcurrencyTests(PatientWebhookApi api) : IClassFixture<PatientWebhookApi>, IAsyncLifetime
{
    public Task InitializeAsync() => api.ClearWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_receiver_that_hangs_does_not_hold_back_another_receivers_delivery()
    {
        var hold = new TaskCompletionSource();
        await using var fast = await WebhookReceiver.StartAsync();
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Held = hold.Task;
        try
        {
            var admin = await AdminAsync(api);
            await CreateWebhookAsync(admin, slow.Url, "TAG_CHANGED");
            await CreateWebhookAsync(admin, fast.Url, "ARTICLE_PUBLISHED");
            foreach (var name in new[] { "Gulls", "Terns", "Herons" })
                await admin.QueryAsync("mutation ($name: String!) { createTag(input: { name: $name }) { tag { id } } }", new { name });
            await slow.WaitForAsync(1); // an attempt to the slow receiver is under way, and hangs

            var (id, version) = await CreateArticleAsync(admin, "Coast guard drill");
            await PublishAsync(admin, id, version);

            var received = Assert.Single(await fast.WaitForAsync(1, TimeSpan.FromSeconds(20)));
            Assert.Equal(id, received.Json["data"]!["id"].Text());
            Assert.False(hold.Task.IsCompleted); // the slow receiver has not answered yet
        }
        finally
        {
            hold.TrySetResult();
        }

        var deliveries = await api.SettledDeliveriesAsync(4);
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
        Assert.Equal(3, (await slow.WaitForAsync(3)).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_delivery_is_leased_when_its_attempt_starts_and_one_under_way_is_not_taken_by_another_instance()
    {
        var hold = new TaskCompletionSource();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Held = hold.Task;
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");
        try
        {
            await using (var db = api.CreateDbContext())
            {
                // Five deliveries due at once, as one write to many articles makes them.
                var webhookId = await db.Webhooks.Select(w => w.Id).SingleAsync();
                var now = api.Clock.GetUtcNow().UtcDateTime;
                db.WebhookDeliveries.AddRange(Enumerable.Range(1, 5).Select(i => new WebhookDelivery
                {
                    WebhookId = webhookId, MessageId = $"msg_{Guid.NewGuid():N}", EventType = "TAG_CHANGED",
                    Payload = $$"""{"type":"TAG_CHANGED","n":{{i}}}""", Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
                }));
                await db.SaveChangesAsync();
            }

            // One instance sends two to one receiver at a time (half its four slots); the other three stay free.
            await receiver.WaitForAsync(2);
            Assert.Equal([0, 0, 0, 1, 1], (await api.DeliveriesAsync()).Select(d => d.Attempts).Order());

            // A second instance takes two of the free ones, none of those under way.
            await using var other = new AnotherWebhookInstance(api, PatientWebhookApi.PatientWebhooks());
            await other.InitializeAsync();
            var underWay = await receiver.WaitForAsync(4);
            Assert.Equal(4, underWay.Select(r => r.Id).Distinct().Count());
            Assert.Equal([0, 1, 1, 1, 1], (await api.DeliveriesAsync()).Select(d => d.Attempts).Order());
            hold.TrySetResult();

            // Every delivery delivered at its first attempt: none was claimed twice.
            var deliveries = await api.SettledDeliveriesAsync(5);
            Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
            Assert.Equal(5, receiver.Received.Count);
            Assert.Equal(5, receiver.Received.Select(r => r.Id).Distinct().Count());
        }
        finally
        {
            hold.TrySetResult();
        }
    }
}
