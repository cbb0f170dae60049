using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>The production default: webhooks may not reach the server's own networks.</summary>
public sealed class PublicNetworksOnlyApi : WebhookApi
{
    protected override IDictionary<string, string?> Settings => FastWebhooks(allowPrivateNetworks: false);
}

/// <summary>SSRF: loopback, link-local and private addresses are refused when saved and again when connecting.</summary>
public sealed class WebhookNetworkTests(PublicNetworksOnlyApi api) : IClassFixture<PublicNetworksOnlyApi>
{
    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://10.0.0.7/hook")]
    [InlineData("http://172.16.4.4/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://localhost:5080/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public async Task A_webhook_to_a_private_or_odd_address_is_refused(string url)
    {
        var admin = await AdminAsync(api);
        var payload = (await admin.QueryAsync(Newsroom.CreateWebhook, new { input = new { url, events = new[] { "TAG_CHANGED" } } }))["createWebhook"]!;

        Assert.Null(payload["webhook"]);
        Assert.Null(payload["secret"]);
        Assert.Equal(("ValidationError", "url"), (payload["errors"]![0]!["__typename"].Text(), payload["errors"]![0]!["path"].Text()));
    }

    [Fact]
    public async Task A_delivery_to_a_private_address_is_refused_when_connecting_too()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var db = api.CreateDbContext())
        {
            // As if the name had resolved to a public address when it was saved.
            await db.Webhooks.ExecuteDeleteAsync();
            db.Webhooks.Add(new Webhook { Url = receiver.Url, Events = ["TAG_CHANGED"], Secret = "whsec_" + Convert.ToBase64String(new byte[32]) });
            await db.SaveChangesAsync();
        }

        var admin = await AdminAsync(api);
        await admin.QueryAsync("""mutation { createTag(input: { name: "Lighthouses" }) { tag { id } } }""");

        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal((WebhookDeliveryStatus.Dead, 3, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastResponseCode));
        Assert.Contains("loopback, link-local or private", delivery.LastError);
        Assert.Empty(receiver.Received);
    }
}
