using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

/// <summary>Which articles the caller of this request may see: readers see published ones, editors every one.</summary>
public sealed class ArticleAccess(IHttpContextAccessor http, TimeProvider clock)
{
    public bool SeesUnpublished => http.HttpContext?.User is { } user && user.IsInRole(Auth.Roles.Editor);

    /// <summary>The one article a valid preview token of this request shows in any status (see <see cref="Previews.PreviewGrant"/>).</summary>
    public int? PreviewedArticleId => http.HttpContext?.Features.Get<Previews.PreviewGrant>()?.ArticleId;

    /// <summary>The request's time, for what depends on it beyond visibility (a scheduled article's status).</summary>
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public IQueryable<Article> Articles(ContentDbContext db) =>
        SeesUnpublished ? db.Articles : db.Articles.VisibleToReaders(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// For the lookups of one article (<c>article(slug:)</c>, <c>node(id:)</c>): what the caller sees, plus the previewed
    /// article. Lists, counts and related articles keep <see cref="Articles"/>, so a preview shows nothing else.
    /// </summary>
    public IQueryable<Article> ArticlesOrPreviewed(ContentDbContext db)
    {
        if (SeesUnpublished || PreviewedArticleId is not { } previewed)
            return Articles(db);
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Articles.Where(a => a.Id == previewed || (a.Status == ArticleStatus.Published && a.PublishedAt <= now));
    }
}
