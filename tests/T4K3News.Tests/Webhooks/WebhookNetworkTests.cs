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
    [InlineData("http://[64:ff9b::10.0.0.1]/hook")]        // NAT64, well-known prefix
    [InlineData("http://[64:ff9b::7f00:1]/hook")]
    [InlineData("http://[::10.0.0.1]/hook")]               // IPv4-compatible
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[64:ff9b:1::a00:1]/hook")]         // local-use NAT64: refused whatever it embeds
    [InlineData("http://[64:ff9b:1:0:808:808::]/hook")]
    [InlineData("http://[::ffff:0:10.0.0.1]/hook")]        // IPv4-translated
    [InlineData("http://[::ffff:0:127.0.0.1]/hook")]
    [InlineData("http://[2002:a00:1::1]/hook")]            // 6to4 of 10.0.0.1
    [InlineData("http://[2002:7f00:1::1]/hook")]           // 6to4 of 127.0.0.1
    [InlineData("http://[2002:c0a8:101::1]/hook")]         // 6to4 of 192.168.1.1
    [InlineData("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook")] // Teredo: refused whatever it embeds
    [InlineData("http://[2001:0:a00:1::f5ff:fffe]/hook")]
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

    [Theory]
    [InlineData("http://[64:ff9b::808:808]/hook")]
    [InlineData("http://[::8.8.8.8]/hook")]
    [InlineData("http://[::ffff:0:8.8.8.8]/hook")]
    [InlineData("http://[2002:808:808::1]/hook")]
    public async Task A_webhook_to_a_public_IPv4_address_written_in_an_IPv6_form_is_accepted(string url)
    {
        await api.ClearWebhooksAsync();
        var admin = await AdminAsync(api);
        try
        {
            var payload = (await admin.QueryAsync(Newsroom.CreateWebhook, new { input = new { url, events = new[] { "TAG_CHANGED" } } }))["createWebhook"]!;

            Assert.Null(payload["errors"]);
            Assert.Equal(url, payload["webhook"]!["url"].Text());
        }
        finally
        {
            await api.ClearWebhooksAsync(); // no later test's change may be posted to a public address from here
        }
    }

    /// <summary>The filter every connection applies to the addresses a name resolves to.</summary>
    [Theory]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("::a00:1", true)]
    [InlineData("::808:808", false)]
    [InlineData("64:ff9b:1::808:808", true)]
    [InlineData("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("::ffff:0:a00:1", true)]
    [InlineData("::ffff:0:808:808", false)]
    [InlineData("2002:a9fe:a9fe::1", true)]
    [InlineData("2002:6440:1::", true)]
    [InlineData("2002:808:808:1::1", false)]
    [InlineData("2001::1", true)]
    [InlineData("2001:0:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:4860:4860::8888", false)]
    [InlineData("2a00:1450:4001:80b::200e", false)]
    public void An_address_a_name_resolves_to_is_checked_for_the_IPv4_address_it_embeds(string address, bool refused) =>
        Assert.Equal(refused, T4K3News.Api.Webhooks.WebhookAddresses.IsPrivate(System.Net.IPAddress.Parse(address)));

    [Theory]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b:1::7f00:1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2001:0:7f00:1::1")]
    public async Task A_delivery_to_an_IPv6_form_of_a_private_address_is_refused_when_connecting(string address)
    {
        await using (var db = api.CreateDbContext())
        {
            // As if the name had resolved to a public address when it was saved, and to this one now.
            await db.Webhooks.ExecuteDeleteAsync();
            db.Webhooks.Add(new Webhook { Url = $"http://[{address}]:9/hook", Events = ["TAG_CHANGED"], Secret = "whsec_" + Convert.ToBase64String(new byte[32]) });
            await db.SaveChangesAsync();
        }

        var admin = await AdminAsync(api);
        await admin.QueryAsync("mutation ($name: String!) { createTag(input: { name: $name }) { tag { id } } }", new { name = $"Harbour {Guid.NewGuid():N}" });

        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal((WebhookDeliveryStatus.Dead, 3, (int?)null), (delivery.Status, delivery.Attempts, delivery.LastResponseCode));
        Assert.Contains("loopback, link-local or private", delivery.LastError);
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
