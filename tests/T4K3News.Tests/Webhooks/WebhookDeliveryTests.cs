using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using T4K3News.Content.Auth;
using T4K3News.Content.Tags;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>Webhooks: the outbox written with each change, signed deliveries with retries, admins' management.</summary>
public sealed class WebhookDeliveryTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime
{
    public Task InitializeAsync() => api.ClearWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_published_article_is_posted_to_its_webhook_signed_the_Standard_Webhooks_way()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        var (webhookId, secret) = await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED");
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);

        var (id, version) = await CreateArticleAsync(admin, "Night trains return");
        var published = await PublishAsync(admin, id, version);

        var received = Assert.Single(await receiver.WaitForAsync(1));
        new StandardWebhook(secret).Verify(received.Body, received.Headers); // throws when the signature is wrong
        Assert.StartsWith("msg_", received.Id);
        Assert.StartsWith("v1,", received.Headers["webhook-signature"].ToString());
        Assert.Equal("application/json; charset=utf-8", received.Headers.ContentType.ToString());
        var json = received.Json;
        Assert.Equal("ARTICLE_PUBLISHED", json["type"].Text());
        Assert.True(DateTimeOffset.TryParse(json["timestamp"].Text(), out _));
        Assert.Equal(id, json["data"]!["id"].Text());
        Assert.Equal("night-trains-return", json["data"]!["slug"].Text());
        Assert.Equal(published, json["data"]!["version"]!.GetValue<int>());
        Assert.Equal("PUBLISHED", json["data"]!["status"].Text());
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() =>
            new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(received.Body, received.Headers));

        // The receiver has the message before the worker has recorded the answer it got.
        await api.SettledDeliveriesAsync(1);
        var delivery = (await admin.QueryAsync("""
            query ($id: ID!) { webhookDeliveries(webhookId: $id) { totalCount nodes { event status attempts lastResponseCode messageId } } }
            """, new { id = webhookId }))["webhookDeliveries"]!;
        Assert.Equal(1, delivery["totalCount"]!.GetValue<int>());
        var node = delivery["nodes"]![0]!;
        Assert.Equal(("ARTICLE_PUBLISHED", "DELIVERED", 1, 200, received.Id),
            (node["event"].Text(), node["status"].Text(), node["attempts"]!.GetValue<int>(), node["lastResponseCode"]!.GetValue<int>(), node["messageId"].Text()));
    }

    [Fact]
    public async Task A_rotated_secret_signs_beside_the_old_one_for_the_overlap_and_alone_after_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        var (webhookId, oldSecret) = await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");
        const string Rotate = """
            mutation ($input: RotateWebhookSecretInput!) {
              rotateWebhookSecret(input: $input) { secret webhook { previousSecretExpiresAt } errors { __typename ... on ValidationError { path } } }
            }
            """;

        var rotated = (await admin.QueryAsync(Rotate, new { input = new { id = webhookId, previousSecretHours = 2 } }))["rotateWebhookSecret"]!;
        var newSecret = rotated["secret"].Text()!;
        await admin.QueryAsync("""mutation { createTag(input: { name: "Ferries" }) { tag { id } } }""");
        var during = (await receiver.WaitForAsync(1))[0];
        ReceivedWebhook after;
        api.Clock.Advance(TimeSpan.FromHours(3));
        try
        {
            await admin.QueryAsync("""mutation { createTag(input: { name: "Canals" }) { tag { id } } }""");
            after = (await receiver.WaitForAsync(2))[1];
            await api.SettledDeliveriesAsync(2); // recorded at this time, before it is put back
        }
        finally
        {
            api.Clock.Advance(-TimeSpan.FromHours(3)); // the other tests sign and verify at the real time
        }

        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(rotated["webhook"]!["previousSecretExpiresAt"]);
        new StandardWebhook(newSecret).Verify(during.Body, during.Headers); // the new secret's signature comes first
        Assert.True(during.IsSignedWith(oldSecret));
        Assert.True(after.IsSignedWith(newSecret));
        Assert.False(after.IsSignedWith(oldSecret));

        var tooLong = (await admin.QueryAsync(Rotate, new { input = new { id = webhookId, previousSecretHours = 169 } }))["rotateWebhookSecret"]!;
        var notAdmin = await (await api.CreateClientWithRoleAsync(TokenRole.Editor)).PostAsync(Rotate, new { input = new { id = webhookId } });
        var unreadable = await admin.PostAsync($$"""{ node(id: "{{webhookId}}") { ... on Webhook { previousSecret } } }""");
        Assert.Equal(("ValidationError", "previousSecretHours"), (tooLong["errors"]![0]!["__typename"].Text(), tooLong["errors"]![0]!["path"].Text()));
        Assert.Null(tooLong["secret"]);
        Assert.Equal("AUTH_NOT_AUTHORIZED", notAdmin.FirstErrorCode);
        Assert.NotNull(unreadable.Errors);
    }

    [Fact]
    public async Task Each_change_is_told_as_its_event_and_only_to_the_webhooks_subscribed_to_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED", "ARTICLE_ARCHIVED", "ARTICLE_DELETED", "TAG_CHANGED");
        await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");

        var (id, version) = await CreateArticleAsync(admin, "Ferry crews strike");                        // a draft: nothing
        version = await StepAsync(admin, "updateArticle", id, version, new { title = "Ferry crews strike again" }); // a draft edited: nothing
        version = await PublishAsync(admin, id, version);                                                   // ARTICLE_PUBLISHED
        version = await StepAsync(admin, "updateArticle", id, version, new { title = "Ferry crews strike on" });   // ARTICLE_UPDATED
        version = await StepAsync(admin, "unpublishArticle", id, version);                                  // ARTICLE_UNPUBLISHED
        version = await PublishAsync(admin, id, version);                                                   // ARTICLE_PUBLISHED
        version = await StepAsync(admin, "archiveArticle", id, version);                                    // ARTICLE_ARCHIVED
        await StepAsync(admin, "deleteArticle", id, version);                        // archived, out of readers' sight: nothing
        var (other, otherVersion) = await CreateArticleAsync(admin, "Ferry fares frozen");
        otherVersion = await PublishAsync(admin, other, otherVersion);                                      // ARTICLE_PUBLISHED
        await StepAsync(admin, "deleteArticle", other, otherVersion);                                       // ARTICLE_DELETED
        await admin.QueryAsync("""mutation { createTag(input: { name: "Harbours" }) { tag { id } } }""");    // TAG_CHANGED, twice

        var deliveries = await api.SettledDeliveriesAsync(9);
        Assert.Equal([
            "ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED", "ARTICLE_PUBLISHED", "ARTICLE_ARCHIVED",
            "ARTICLE_PUBLISHED", "ARTICLE_DELETED", "TAG_CHANGED", "TAG_CHANGED",
        ], deliveries.Select(d => d.EventType));
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.Equal(9, (await receiver.WaitForAsync(9)).Count);
        var tag = System.Text.Json.Nodes.JsonNode.Parse(deliveries[^1].Payload)!["data"]!;
        Assert.Equal(("harbours", "Harbours", "created"), (tag["slug"].Text(), tag["name"].Text(), tag["change"].Text()));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_third_attempt_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n <= 2 ? HttpStatusCode.InternalServerError : HttpStatusCode.NoContent;
        var admin = await AdminAsync(api);
        var (webhookId, secret) = await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");

        await admin.QueryAsync("""mutation { createTag(input: { name: "Railways" }) { tag { id } } }""");

        var received = await receiver.WaitForAsync(3);
        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.All(received, r => new StandardWebhook(secret).Verify(r.Body, r.Headers));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 3, 204), (delivery.Status, delivery.Attempts, delivery.LastResponseCode));
        Assert.NotNull(webhookId);
    }

    [Fact]
    public async Task After_its_last_attempt_a_delivery_is_dead_and_an_admin_can_redeliver_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => HttpStatusCode.ServiceUnavailable;
        var admin = await AdminAsync(api);
        var (webhookId, _) = await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED");
        await admin.QueryAsync("""mutation { createTag(input: { name: "Bridges" }) { tag { id } } }""");
        await admin.QueryAsync("""mutation { createTag(input: { name: "Tunnels" }) { tag { id } } }""");
        var dead = await api.SettledDeliveriesAsync(2);
        Assert.All(dead, d => Assert.Equal((WebhookDeliveryStatus.Dead, 3, 503, "HTTP 503"), (d.Status, d.Attempts, d.LastResponseCode, d.LastError)));
        Assert.Equal(6, receiver.Received.Count);

        const string ByStatus = """
            query ($id: ID!, $status: WebhookDeliveryStatus!) {
              webhookDeliveries(webhookId: $id, where: { status: { eq: $status } }) { totalCount nodes { id event status attempts nextAttemptAt createdAt } }
            }
            """;
        var deadNodes = (await admin.QueryAsync(ByStatus, new { id = webhookId, status = "DEAD" }))["webhookDeliveries"]!;
        Assert.Equal(2, deadNodes["totalCount"]!.GetValue<int>());
        Assert.Equal(0, (await admin.QueryAsync(ByStatus, new { id = webhookId, status = "DELIVERED" }))["webhookDeliveries"]!["totalCount"]!.GetValue<int>());
        var first = (await admin.QueryAsync("""
            query ($id: ID!) { webhookDeliveries(webhookId: $id, first: 1) { pageInfo { hasNextPage endCursor } nodes { id } } }
            """, new { id = webhookId }))["webhookDeliveries"]!;
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());

        receiver.Answer = _ => HttpStatusCode.OK;
        var deliveryId = deadNodes["nodes"]![0]!["id"].Text();
        var redelivered = (await admin.QueryAsync("""
            mutation ($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id status attempts } errors { __typename } } }
            """, new { id = deliveryId }))["redeliverWebhook"]!;
        Assert.Equal(("PENDING", 0), (redelivered["delivery"]!["status"].Text(), redelivered["delivery"]!["attempts"]!.GetValue<int>()));

        var received = await receiver.WaitForAsync(7);
        var settled = await api.SettledDeliveriesAsync(2);
        Assert.Equal([WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.Dead], settled.Select(d => d.Status).Order());
        Assert.Equal(received[^1].Id, settled.Single(d => d.Status == WebhookDeliveryStatus.Delivered).MessageId);
        Assert.Contains(received.Take(6), r => r.Id == received[^1].Id); // the same webhook-id as its first attempts

        var unknown = (await admin.QueryAsync("""
            mutation { redeliverWebhook(input: { deliveryId: "V2ViaG9va0RlbGl2ZXJ5Ojk5OTk5" }) { delivery { id } errors { __typename } } }
            """))["redeliverWebhook"]!;
        Assert.Equal("NotFoundError", unknown["errors"]![0]!["__typename"].Text());
    }

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_its_target_is_never_called()
    {
        await using var target = await WebhookReceiver.StartAsync();
        await using var redirecting = await WebhookReceiver.StartAsync();
        redirecting.Answer = _ => HttpStatusCode.TemporaryRedirect;
        redirecting.Location = target.Url;
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, redirecting.Url, "TAG_CHANGED");

        await admin.QueryAsync("""mutation { createTag(input: { name: "Slipways" }) { tag { id } } }""");

        // An attempt is recorded only once its answer is in: a followed redirect would have reached the target before.
        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal((WebhookDeliveryStatus.Dead, 3, 307, "HTTP 307"), (delivery.Status, delivery.Attempts, delivery.LastResponseCode, delivery.LastError));
        Assert.Equal(3, redirecting.Received.Count);
        Assert.Empty(target.Received);
    }

    [Fact]
    public async Task A_rolled_back_change_has_no_delivery_and_a_refused_write_none_either()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "TAG_CHANGED", "ARTICLE_PUBLISHED");

        await using (var db = api.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Tags.Add(new Tag { Name = "Rolled back", Slug = "rolled-back" });
            await db.SaveChangesAsync();
            Assert.Single(await db.WebhookDeliveries.ToListAsync()); // written in the change's transaction...
            await transaction.RollbackAsync();
        }

        var (id, version) = await CreateArticleAsync(admin, "Refused publication");
        var refused = (await admin.QueryAsync("""
            mutation ($id: ID!) { publishArticle(input: { id: $id, expectedVersion: 99 }) { errors { __typename } } }
            """, new { id }))["publishArticle"]!;
        Assert.Equal("ConcurrencyError", refused["errors"]![0]!["__typename"].Text());

        Assert.Empty(await api.DeliveriesAsync()); // ...and gone with it
        await PublishAsync(admin, id, version);
        Assert.Equal(["ARTICLE_PUBLISHED"], (await api.SettledDeliveriesAsync(1)).Select(d => d.EventType));
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_read_deliveries()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var anonymous = api.CreateGraphQLClient();
        var create = new { input = new { url = "http://127.0.0.1:9/hook", events = new[] { "TAG_CHANGED" } } };

        Assert.Equal("AUTH_NOT_AUTHORIZED", (await editor.PostAsync(Newsroom.CreateWebhook, create)).FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", (await anonymous.PostAsync(Newsroom.CreateWebhook, create)).FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHORIZED", (await editor.PostAsync("{ webhooks { id } }")).FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHORIZED", (await editor.PostAsync("""{ webhookDeliveries(webhookId: "V2ViaG9vazox") { totalCount } }""")).FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHORIZED", (await editor.PostAsync("""mutation { deleteWebhook(input: { id: "V2ViaG9vazox" }) { errors { __typename } } }""")).FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHORIZED", (await editor.PostAsync("""mutation { redeliverWebhook(input: { deliveryId: "V2ViaG9va0RlbGl2ZXJ5OjE=" }) { errors { __typename } } }""")).FirstErrorCode);

        var admin = await AdminAsync(api);
        var (webhookId, _) = await CreateWebhookAsync(admin, "http://127.0.0.1:9/hook", "TAG_CHANGED");
        Assert.Null((await editor.QueryAsync("query ($id: ID!) { node(id: $id) { id } }", new { id = webhookId }))["node"]);
        Assert.Equal(webhookId, (await admin.QueryAsync("query ($id: ID!) { node(id: $id) { id ... on Webhook { url } } }", new { id = webhookId }))["node"]!["id"].Text());
        var listed = (await admin.QueryAsync("{ webhooks { id url events description } }"))["webhooks"]!.AsArray();
        Assert.Equal(webhookId, Assert.Single(listed)!["id"].Text());
        Assert.Equal("INVALID_ID", (await admin.PostAsync("""{ webhookDeliveries(webhookId: "nonsense") { totalCount } }""")).FirstErrorCode);
    }

    [Fact]
    public async Task Webhooks_are_bounded_in_url_events_description_and_number_and_can_be_changed_and_deleted()
    {
        var admin = await AdminAsync(api);
        async Task<System.Text.Json.Nodes.JsonNode> CreateAsync(string url, string[] events, string? description = null) =>
            (await admin.QueryAsync(Newsroom.CreateWebhook, new { input = new { url, events, description } }))["createWebhook"]!;

        var tooLong = await CreateAsync("http://127.0.0.1/" + new string('a', 2000), ["TAG_CHANGED"]);
        Assert.Equal(("ValidationError", "url"), (tooLong["errors"]![0]!["__typename"].Text(), tooLong["errors"]![0]!["path"].Text()));
        var notHttp = await CreateAsync("ftp://127.0.0.1/hook", ["TAG_CHANGED"]);
        Assert.Equal("url", notHttp["errors"]![0]!["path"].Text());
        var noEvents = await CreateAsync("http://127.0.0.1/hook", []);
        Assert.Equal("events", noEvents["errors"]![0]!["path"].Text());
        var longDescription = await CreateAsync("http://127.0.0.1/hook", ["TAG_CHANGED"], new string('d', 501));
        Assert.Equal("description", longDescription["errors"]![0]!["path"].Text());
        Assert.Null(longDescription["webhook"]);

        var repeated = await CreateAsync("http://127.0.0.1/hook", ["TAG_CHANGED", "TAG_CHANGED", "ARTICLE_DELETED"]);
        Assert.Equal(["ARTICLE_DELETED", "TAG_CHANGED"], repeated["webhook"]!["events"]!.AsArray().Select(e => e.Text()));
        for (var i = 1; i < 5; i++)
            Assert.Null((await CreateAsync($"http://127.0.0.1/hook{i}", ["TAG_CHANGED"]))["errors"]);
        var sixth = await CreateAsync("http://127.0.0.1/hook6", ["TAG_CHANGED"]);
        Assert.Equal(("WebhookLimitError", 5), (sixth["errors"]![0]!["__typename"].Text(), sixth["errors"]![0]!["limit"]!.GetValue<int>()));
        Assert.Null(sixth["webhook"]);

        var id = repeated["webhook"]!["id"].Text();
        var updated = (await admin.QueryAsync("""
            mutation ($id: ID!) { updateWebhook(input: { id: $id, events: [ARTICLE_PUBLISHED], description: "front end" }) { webhook { url events description } errors { __typename } } }
            """, new { id }))["updateWebhook"]!;
        Assert.Equal(("http://127.0.0.1/hook", "ARTICLE_PUBLISHED", "front end"),
            (updated["webhook"]!["url"].Text(), updated["webhook"]!["events"]![0].Text(), updated["webhook"]!["description"].Text()));
        var badUpdate = (await admin.QueryAsync("""
            mutation ($id: ID!) { updateWebhook(input: { id: $id, url: "gopher://x" }) { webhook { url } errors { __typename ... on ValidationError { path } } } }
            """, new { id }))["updateWebhook"]!;
        Assert.Equal("url", badUpdate["errors"]![0]!["path"].Text());
        var deleted = (await admin.QueryAsync("""
            mutation ($id: ID!) { deleteWebhook(input: { id: $id }) { webhook { id } errors { __typename } } }
            """, new { id }))["deleteWebhook"]!;
        Assert.Equal(id, deleted["webhook"]!["id"].Text());
        var again = (await admin.QueryAsync("""
            mutation ($id: ID!) { deleteWebhook(input: { id: $id }) { webhook { id } errors { __typename } } }
            """, new { id }))["deleteWebhook"]!;
        Assert.Equal("NotFoundError", again["errors"]![0]!["__typename"].Text());
    }
}
