using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;

namespace T4K3News.Content.Webhooks;

/// <summary>
/// Which webhook events one article write causes, following what readers can see (published and due): an article
/// becoming visible is <c>ARTICLE_PUBLISHED</c>, a visible one changed is <c>ARTICLE_UPDATED</c>; a visible one
/// going back to draft or rescheduled for later is <c>ARTICLE_UNPUBLISHED</c>, archived <c>ARTICLE_ARCHIVED</c>,
/// deleted <c>ARTICLE_DELETED</c>, each told as readers last saw it (its slug, title and time then), and none of them
/// for an article readers could not see at that moment: receivers never hear of a draft's or an embargo's headline.
/// A scheduled article is told when its time comes (by <see cref="DuePublications"/>), not when it is scheduled; a
/// write to it after that time but before the scheduler came by claims the announcement itself, so it is told
/// exactly once either way.
/// </summary>
internal sealed class ArticleWebhookEvents(ContentDbContext db, DateTime now)
{
    private readonly Dictionary<Article, Seen?> before = new(ReferenceEqualityComparer.Instance);

    /// <summary>Notes the articles as loaded, before the write is saved (revised and deleted ones alike).</summary>
    public void Before(IEnumerable<Article> articles)
    {
        foreach (var article in articles)
        {
            var entry = db.Entry(article);
            before[article] = entry.State == EntityState.Added
                ? null
                : new Seen(
                    entry.Property(a => a.Status).OriginalValue,
                    entry.Property(a => a.PublishedAt).OriginalValue,
                    entry.Property(a => a.Slug).OriginalValue,
                    entry.Property(a => a.Title).OriginalValue);
        }
    }

    /// <summary>After the write is saved, in its transaction: claims due announcements, records new schedules, and lists the events.</summary>
    public async Task<List<OutboxEvent>> AfterAsync(IEnumerable<Article> revisedArticles, IEnumerable<Article> deletedArticles, CancellationToken cancellationToken)
    {
        var revised = revisedArticles.Distinct().ToList();
        var wasPublished = revised.Where(a => before[a]?.Status == ArticleStatus.Published).Select(a => a.Id).ToArray();
        // Waits for a scheduler that is announcing one of these right now; what it announced is gone then.
        var unannounced = wasPublished.Length == 0
            ? []
            : (await db.Database.SqlQuery<int>($"""
                DELETE FROM "ScheduledPublications" WHERE "ArticleId" = ANY({wasPublished}) AND "DueAt" <= {now} RETURNING "ArticleId" AS "Value"
                """).ToListAsync(cancellationToken)).ToHashSet();

        var scheduled = revised.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt > now).ToList();
        if (scheduled.Count > 0)
        {
            var ids = scheduled.Select(a => a.Id).ToArray();
            var dueAt = scheduled.Select(a => DateTime.SpecifyKind(a.PublishedAt!.Value, DateTimeKind.Utc)).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ScheduledPublications" ("ArticleId", "DueAt") SELECT * FROM unnest({ids}::integer[], {dueAt}::timestamptz[])
                ON CONFLICT ("ArticleId") DO UPDATE SET "DueAt" = EXCLUDED."DueAt"
                """, cancellationToken);
        }

        var events = new List<OutboxEvent>();
        foreach (var article in revised)
        {
            var seen = before[article];
            var readersSaw = seen is { } was && was.WasVisible(now);
            var announced = readersSaw && !unannounced.Contains(article.Id);
            var isVisible = article.Status == ArticleStatus.Published && article.PublishedAt <= now;
            var webhookEvent =
                !isVisible && readersSaw && article.Status == ArticleStatus.Archived ? WebhookEvent.ArticleArchived
                : !isVisible && readersSaw ? WebhookEvent.ArticleUnpublished
                : isVisible && !announced ? WebhookEvent.ArticlePublished
                : isVisible ? WebhookEvent.ArticleUpdated
                : (WebhookEvent?)null;
            if (webhookEvent is WebhookEvent.ArticleArchived or WebhookEvent.ArticleUnpublished)
                events.Add(WebhookOutbox.ArticleEvent(webhookEvent.Value, article, now,
                    seen!.Slug, seen.Title, seen.PublishedAt));
            else if (webhookEvent is { } happened)
                events.Add(WebhookOutbox.ArticleEvent(happened, article, now));
        }

        foreach (var article in deletedArticles)
            if (before[article] is { } seen && seen.WasVisible(now))
                events.Add(WebhookOutbox.ArticleEvent(WebhookEvent.ArticleDeleted, article, now,
                    seen.Slug, seen.Title, seen.PublishedAt));
        return events;
    }

    /// <summary>An article as it stood before the write: what readers saw of it, if it was visible then.</summary>
    private sealed record Seen(ArticleStatus Status, DateTime? PublishedAt, string Slug, string Title)
    {
        public bool WasVisible(DateTime now) => Status == ArticleStatus.Published && PublishedAt <= now;
    }
}
