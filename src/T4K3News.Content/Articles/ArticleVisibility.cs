namespace T4K3News.Content.Articles;

public static class ArticleVisibility
{
    /// <summary>
    /// An editor's clock may be off the server's by this much: a publication time no further in the past is taken as
    /// meant for now, not refused as backdating.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>What anonymous readers may see: published, and not scheduled for later.</summary>
    public static IQueryable<Article> VisibleToReaders(this IQueryable<Article> articles, DateTime now) =>
        articles.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt <= now);

    /// <summary>The status at <paramref name="now"/>: a published article whose time has not come is scheduled.</summary>
    public static ArticleStatus StatusAt(this Article article, DateTime now) =>
        article.Status == ArticleStatus.Published && article.PublishedAt > now ? ArticleStatus.Scheduled : article.Status;

    /// <summary>A time cut to whole microseconds, as PostgreSQL keeps it: a write answers what later reads show.</summary>
    public static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMicrosecond, time.Kind);
}
