using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;

namespace T4K3News.Content.Webhooks;

/// <summary>
/// Which webhook events one article write causes. Publishing, updating and unpublishing follow what readers can see
/// (published and due): an article becoming visible is <c>ARTICLE_PUBLISHED</c>, a visible one changed is
/// <c>ARTICLE_UPDATED</c>, a visible one going back to draft or rescheduled for later is <c>ARTICLE_UNPUBLISHED</c>;
/// archiving and deleting are told whatever the article was. A scheduled article is told when its time comes (by
/// <see cref="DuePublications"/>), not when it is scheduled; a write to it after that time but before the scheduler
/// came by claims the announcement itself, so it is told exactly once either way.
/// </summary>
internal sealed class ArticleWebhookEvents(ContentDbContext db, DateTime now)
{
    private readonly Dictionary<Article, (ArticleStatus? Status, DateTime? PublishedAt)> before = new(ReferenceEqualityComparer.Instance);

    /// <summary>Notes the articles as they were loaded, before the write is saved.</summary>
    public void Before(IEnumerable<Article> articles)
    {
        foreach (var article in articles)
        {
            var entry = db.Entry(article);
            before[article] = entry.State == EntityState.Added
                ? (null, null)
                : (entry.Property(a => a.Status).OriginalValue, entry.Property(a => a.PublishedAt).OriginalValue);
        }
    }

    /// <summary>After the write is saved, in its transaction: claims due announcements, records new schedules, and lists the events.</summary>
    public async Task<List<OutboxEvent>> AfterAsync(IEnumerable<Article> revisedArticles, IEnumerable<Article> deletedArticles, CancellationToken cancellationToken)
    {
        var revised = revisedArticles.Distinct().ToList();
        var wasPublished = revised.Where(a => before[a].Status == ArticleStatus.Published).Select(a => a.Id).ToArray();
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
            var (status, publishedAt) = before[article];
            var wasVisible = status == ArticleStatus.Published && publishedAt <= now && !unannounced.Contains(article.Id);
            var isVisible = article.Status == ArticleStatus.Published && article.PublishedAt <= now;
            WebhookEvent? happened =
                article.Status == ArticleStatus.Archived && status != ArticleStatus.Archived ? WebhookEvent.ArticleArchived
                : !wasVisible && isVisible ? WebhookEvent.ArticlePublished
                : wasVisible && isVisible ? WebhookEvent.ArticleUpdated
                : wasVisible ? WebhookEvent.ArticleUnpublished
                : null;
            if (happened is { } webhookEvent)
                events.Add(WebhookOutbox.ArticleEvent(webhookEvent, article, now));
        }

        events.AddRange(deletedArticles.Select(article => WebhookOutbox.ArticleEvent(WebhookEvent.ArticleDeleted, article, now)));
        return events;
    }
}
