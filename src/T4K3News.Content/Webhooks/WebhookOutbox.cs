using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;
using T4K3News.Content.Tags;

namespace T4K3News.Content.Webhooks;

/// <summary>An event as the outbox stores it: its type's schema name and the whole body a receiver gets.</summary>
public sealed record OutboxEvent(string Type, string Body);

/// <summary>
/// Writes deliveries into the outbox: one row per webhook subscribed to each event, in the transaction of the write
/// that caused it, together with that write's NOTIFY (one statement for both), so a committed change always has its
/// deliveries and a rolled-back one never. A notification on <see cref="Channel"/> wakes the delivery workers.
/// </summary>
public static class WebhookOutbox
{
    public const string Channel = "t4k3news_webhook_deliveries";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The schema's name of an event, e.g. ARTICLE_PUBLISHED: the <c>type</c> in the JSON and what webhooks subscribe to.</summary>
    public static string Name(WebhookEvent webhookEvent) => webhookEvent switch
    {
        WebhookEvent.ArticlePublished => "ARTICLE_PUBLISHED",
        WebhookEvent.ArticleUpdated => "ARTICLE_UPDATED",
        WebhookEvent.ArticleUnpublished => "ARTICLE_UNPUBLISHED",
        WebhookEvent.ArticleArchived => "ARTICLE_ARCHIVED",
        WebhookEvent.ArticleDeleted => "ARTICLE_DELETED",
        WebhookEvent.TagChanged => "TAG_CHANGED",
        _ => throw new ArgumentOutOfRangeException(nameof(webhookEvent)),
    };

    public static OutboxEvent Event(WebhookEvent webhookEvent, DateTime timestamp, object data)
    {
        var type = Name(webhookEvent);
        return new OutboxEvent(type, JsonSerializer.Serialize(new { type, timestamp, data }, Json));
    }

    /// <summary>What receivers learn of an article: its global id (as the API gives it), slug, version and state.</summary>
    public static OutboxEvent ArticleEvent(WebhookEvent webhookEvent, Article article, DateTime timestamp) =>
        ArticleEvent(webhookEvent, article, timestamp, article.Slug, article.Title, article.PublishedAt);

    /// <summary>
    /// An article with the <paramref name="slug"/>, <paramref name="title"/> and <paramref name="publishedAt"/> readers
    /// last saw, for the events of its leaving their sight: its new ones may never have been public.
    /// </summary>
    public static OutboxEvent ArticleEvent(
        WebhookEvent webhookEvent, Article article, DateTime timestamp,
        string slug, string title, DateTime? publishedAt) =>
        Event(webhookEvent, timestamp, webhookEvent == WebhookEvent.ArticleDeleted
            ? new ArticleData(GlobalId("Article", article.Id), slug, article.Version, null, null, null)
            : new ArticleData(GlobalId("Article", article.Id), slug, article.Version, title,
                article.Status.ToString().ToUpperInvariant(),
                publishedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null));

    public static OutboxEvent TagEvent(Tag tag, string change, DateTime timestamp) =>
        Event(WebhookEvent.TagChanged, timestamp, new TagData(GlobalId("Tag", tag.Id), tag.Slug, tag.Name, change));

    /// <summary>
    /// In the caller's transaction: the outbox rows for <paramref name="events"/> and the NOTIFY of each of
    /// <paramref name="notifications"/> on <paramref name="channel"/>, in one statement.
    /// </summary>
    public static Task AnnounceAsync(
        ContentDbContext db, string channel, string[] notifications, IReadOnlyList<OutboxEvent> events, DateTime now, CancellationToken cancellationToken)
    {
        var types = events.Select(e => e.Type).ToArray();
        var bodies = events.Select(e => e.Body).ToArray();
        // A data-modifying WITH runs whether or not the query reads it; the wake-up goes out only when rows were written.
        return db.Database.ExecuteSqlAsync($"""
            WITH outbox AS (
                INSERT INTO "WebhookDeliveries" ("WebhookId", "MessageId", "EventType", "Payload", "Status", "Attempts", "NextAttemptAt", "CreatedAt")
                SELECT w."Id", 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.type, e.body, 'Pending', 0, {now}, {now}
                FROM unnest({types}::text[], {bodies}::text[]) WITH ORDINALITY AS e(type, body, n)
                JOIN "Webhooks" w ON e.type = ANY(w."Events")
                ORDER BY e.n, w."Id"
                RETURNING 1)
            SELECT pg_notify({channel}, payload) FROM unnest({notifications}::text[]) AS payload
            UNION ALL
            SELECT pg_notify({Channel}, '') WHERE EXISTS (SELECT 1 FROM outbox)
            """, cancellationToken);
    }

    private static string GlobalId(string type, int key) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{type}:{key}"));

    private sealed record ArticleData(string Id, string Slug, int Version, string? Title, string? Status, DateTime? PublishedAt);

    private sealed record TagData(string Id, string Slug, string Name, string Change);
}
