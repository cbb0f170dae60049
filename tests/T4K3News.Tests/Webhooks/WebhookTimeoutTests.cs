using T4K3News.Content.Webhooks;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

public sealed class ShortTimeoutApi : WebhookApi
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = FastWebhooks(allowPrivateNetworks: true);
            settings["Webhooks:Timeout"] = "00:00:00.5";
            return settings;
        }
    }
}

public sealed class WebhookTimeoutTests(ShortTimeoutApi api) : IClassFixture<ShortTimeoutApi>
{
    [Fact]
    public async Task A_receiver_slower_than_the_timeout_fails_each_attempt_and_is_sent_to_at_most_once_per_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromSeconds(3);
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");

        await admin.QueryAsync("""mutation { createTag(input: { name: "Slow news" }) { tag { id } } }""");

        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal((WebhookDeliveryStatus.Dead, 3, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastResponseCode));
        Assert.Equal("No answer within 0.5 s.", delivery.LastError);
        // Never more than one request per attempt; on a loaded machine an attempt may time out before its request arrives.
        Assert.InRange(receiver.Received.Count, 1, 3);
    }
}
