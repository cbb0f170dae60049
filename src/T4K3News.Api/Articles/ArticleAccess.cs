using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

/// <summary>Which articles the caller of this request may see: readers see published ones, editors every one.</summary>
public sealed class ArticleAccess(IHttpContextAccessor http, TimeProvider clock)
{
    public bool SeesUnpublished => http.HttpContext?.User is { } user && user.IsInRole(Auth.Roles.Editor);

    public IQueryable<Article> Articles(ContentDbContext db) =>
        SeesUnpublished ? db.Articles : db.Articles.VisibleToReaders(clock.GetUtcNow().UtcDateTime);
}
