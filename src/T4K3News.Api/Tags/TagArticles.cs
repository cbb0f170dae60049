using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Tags;

/// <summary><c>Tag.articles</c> for every tag of a list at once (see <see cref="ArticlesOf"/>).</summary>
public sealed class TagArticles(IDbContextFactory<ContentDbContext> databases, ArticleAccess access) : ArticlesOf(databases, access)
{
    protected override IQueryable<Article> Of(IQueryable<Article> articles, int ownerId) =>
        articles.Where(a => a.ArticleTags.Any(t => t.TagId == ownerId));

    protected override IQueryable<OwnedArticles> Pages(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds, int skip, int take) =>
        db.Tags.Where(tag => ownerIds.Contains(tag.Id)).Select(tag => new OwnedArticles
        {
            OwnerId = tag.Id,
            Articles = articles.Where(a => a.ArticleTags.Any(t => t.TagId == tag.Id)).Skip(skip).Take(take).ToList(),
        });

    protected override IQueryable<OwnedCount> Counts(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds) =>
        articles.SelectMany(a => a.ArticleTags).Where(t => ownerIds.Contains(t.TagId)).GroupBy(t => t.TagId)
            .Select(g => new OwnedCount { OwnerId = g.Key, Count = g.Count() });
}
