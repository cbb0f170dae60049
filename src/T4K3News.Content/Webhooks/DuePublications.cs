using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;

namespace T4K3News.Content.Webhooks;

/// <summary>
/// Announces scheduled articles whose time has come: each exactly once, whichever instance gets there first (the
/// <see cref="ScheduledPublication"/> row is claimed with <c>FOR UPDATE SKIP LOCKED</c> and deleted in the transaction
/// that announces it), and also after a restart that happened while it came due (the row waits in the database). The
/// announcement is the same NOTIFY a publishing write sends, so subscribers and the response cache hear of the article
/// as they would of a publish, plus the <c>ARTICLE_PUBLISHED</c> deliveries.
/// </summary>
public static class DuePublications
{
    /// <summary>The author of a due announcement, as subscribers see it.</summary>
    public const string Author = "schedule";

    /// <summary>The changed fields of a due announcement: the article did not change, its time came.</summary>
    public static readonly IReadOnlyList<string> ChangedFields = ["due"];

    /// <summary>Announces up to <paramref name="batch"/> due publications; returns how many rows were claimed (dropped stale ones included).</summary>
    public static async Task<int> AnnounceAsync(ContentDbContext db, DateTime now, int batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Database.SqlQuery<ClaimedPublication>($"""
            DELETE FROM "ScheduledPublications" s
            WHERE s."ArticleId" IN (
                SELECT "ArticleId" FROM "ScheduledPublications" WHERE "DueAt" <= {now} ORDER BY "DueAt" LIMIT {batch} FOR UPDATE SKIP LOCKED)
            RETURNING s."ArticleId", s."DueAt"
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
            return 0;

        var ids = claimed.Select(c => c.ArticleId).ToList();
        var articles = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        // A schedule the article no longer has (unpublished, rescheduled, published at once since) is dropped unannounced.
        var due = articles.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt is { } at
            && claimed.Any(c => c.ArticleId == a.Id && c.DueAt == DateTime.SpecifyKind(at, DateTimeKind.Utc))).ToList();
        if (due.Count > 0)
        {
            var notifications = due.Select(a => new ArticleChange(a.Id, a.Version, ChangedFields, Author, Deleted: false).ToJson()).ToArray();
            var events = due.Select(a => WebhookOutbox.ArticleEvent(WebhookEvent.ArticlePublished, a, now)).ToList();
            await WebhookOutbox.AnnounceAsync(db, ArticleChange.Channel, notifications, events, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    private sealed record ClaimedPublication(int ArticleId, DateTime DueAt);
}
