using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Authors;

/// <summary><c>Author.articles</c> for every author of a list at once, as <c>Tag.articles</c> does for tags (see <see cref="ArticlesOf"/>).</summary>
public sealed class AuthorArticles(IDbContextFactory<ContentDbContext> databases, ArticleAccess access) : ArticlesOf(databases, access)
{
    protected override IQueryable<Article> Of(IQueryable<Article> articles, int ownerId) =>
        articles.Where(a => a.Bylines.Any(b => b.AuthorId == ownerId));

    protected override IQueryable<OwnedArticles> Pages(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds, int skip, int take) =>
        db.Authors.Where(author => ownerIds.Contains(author.Id)).Select(author => new OwnedArticles
        {
            OwnerId = author.Id,
            Articles = articles.Where(a => a.Bylines.Any(b => b.AuthorId == author.Id)).Skip(skip).Take(take).ToList(),
        });

    // Counted per article: an author credited in two roles on one article counts it once.
    protected override IQueryable<OwnedCount> Counts(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds) =>
        db.Authors.Where(author => ownerIds.Contains(author.Id))
            .Select(author => new OwnedCount { OwnerId = author.Id, Count = articles.Count(a => a.Bylines.Any(b => b.AuthorId == author.Id)) });
}
