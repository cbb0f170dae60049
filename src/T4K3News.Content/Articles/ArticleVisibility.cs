namespace T4K3News.Content.Articles;

public static class ArticleVisibility
{
    /// <summary>What anonymous readers may see: published, and not scheduled for later.</summary>
    public static IQueryable<Article> VisibleToReaders(this IQueryable<Article> articles, DateTime now) =>
        articles.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt <= now);
}
