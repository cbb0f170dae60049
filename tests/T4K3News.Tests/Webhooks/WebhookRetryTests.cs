using System.Net;
using T4K3News.Api.Webhooks;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>Retries minutes apart, watched by moving this fixture's own clock.</summary>
public sealed class SlowRetryWebhookApi : WebhookApi
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = FastWebhooks(allowPrivateNetworks: true);
            settings["Webhooks:RetryBaseDelay"] = "00:10:00";
            settings["Webhooks:MaxAttempts"] = "4";
            return settings;
        }
    }
}

/// <summary>The back-off between attempts: the base delay, then three times the one before.</summary>
public sealed class WebhookRetryTests(SlowRetryWebhookApi api) : IClassFixture<SlowRetryWebhookApi>
{
    [Fact]
    public void The_default_back_off_is_30_s_then_three_times_the_wait_before_for_six_attempts()
    {
        var defaults = new WebhookOptions();

        Assert.Equal(6, defaults.MaxAttempts);
        Assert.Equal([30, 90, 270, 810, 2430], Enumerable.Range(1, 5).Select(n => defaults.RetryDelay(n).TotalSeconds));
    }

    [Fact]
    public async Task A_failing_receiver_is_attempted_again_after_the_base_delay_then_three_times_the_wait_before_until_dead()
    {
        await api.ClearWebhooksAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => HttpStatusCode.BadGateway;
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");

        var started = api.Clock.GetUtcNow().UtcDateTime;
        await admin.QueryAsync("""mutation { createTag(input: { name: "Breakwaters" }) { tag { id } } }""");
        foreach (var (attempt, wait) in new[] { (1, 10), (2, 30), (3, 90) })
        {
            // Recorded: its next attempt lies past the lease an attempt under way has (timeout + 30 s).
            var delivery = await RecordedAsync(attempt, d => d.NextAttemptAt > api.Clock.GetUtcNow().UtcDateTime.AddMinutes(1));
            var recorded = api.Clock.GetUtcNow().UtcDateTime;
            Assert.Equal((WebhookDeliveryStatus.Pending, 502), (delivery.Status, delivery.LastResponseCode));
            // Failed between the start of this step and now, the next attempt waits exactly `wait` minutes from then.
            Assert.InRange(delivery.NextAttemptAt - TimeSpan.FromMinutes(wait), started, recorded);
            Assert.Equal(attempt, receiver.Received.Count);

            started = api.Clock.GetUtcNow().UtcDateTime;
            api.Clock.Advance(TimeSpan.FromMinutes(wait));
            started += TimeSpan.FromMinutes(wait);
        }

        var dead = await RecordedAsync(4, d => d.Status == WebhookDeliveryStatus.Dead);
        Assert.Equal((4, 502, "HTTP 502"), (dead.Attempts, dead.LastResponseCode, dead.LastError));
        Assert.Equal(4, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
    }

    private async Task<WebhookDelivery> RecordedAsync(int attempts, Func<WebhookDelivery, bool> recorded)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var delivery = Assert.Single(await api.DeliveriesAsync());
            if (delivery.Attempts == attempts && recorded(delivery))
                return delivery;
            Assert.True(DateTime.UtcNow < deadline, $"Attempt {attempts} was not recorded: {delivery.Attempts} {delivery.Status} {delivery.NextAttemptAt:O}");
            await Task.Delay(50);
        }
    }
}
