using Microsoft.EntityFrameworkCore;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Articles;

/// <summary>One request's batched loads of everything hanging off articles; each batch opens its own DbContext.</summary>
public sealed class ArticleLoaders
{
    public ArticleLoaders(IDbContextFactory<ContentDbContext> databases, ArticleAccess access)
    {
        ById = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await access.ArticlesOrPreviewed(db).Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => (Article?)a, ct);
        }, null);

        Publications = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.Publications.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        }, null!);

        Tags = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            var rows = await db.ArticleTags.Where(t => ids.Contains(t.ArticleId))
                .OrderBy(t => t.Tag.Name)
                .Select(t => new { t.ArticleId, t.Tag })
                .ToListAsync(ct);
            return Group(rows, r => r.ArticleId, r => r.Tag);
        }, []);

        Related = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            var rows = await (
                    from link in db.RelatedArticles
                    join related in access.Articles(db) on link.RelatedArticleId equals related.Id
                    where ids.Contains(link.ArticleId)
                    orderby link.Position
                    select new { link.ArticleId, Related = related })
                .ToListAsync(ct);
            return Group(rows, r => r.ArticleId, r => r.Related);
        }, []);

        Revisions = new(async (ids, ct) =>
        {
            if (!access.SeesUnpublished)
                return new Dictionary<int, ArticleRevision?>();
            var wanted = ids.Select(id => (long)id).ToList();
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.ArticleRevisions.Where(r => wanted.Contains(r.Id)).ToDictionaryAsync(r => checked((int)r.Id), r => (ArticleRevision?)r, ct);
        }, null);
    }

    public BatchLoader<int, Article?> ById { get; }
    public BatchLoader<int, Publication> Publications { get; }
    public BatchLoader<int, IReadOnlyList<Tag>> Tags { get; }
    public BatchLoader<int, IReadOnlyList<Article>> Related { get; }

    /// <summary>Revisions by id, for editors; nobody else sees any.</summary>
    public BatchLoader<int, ArticleRevision?> Revisions { get; }

    private static IReadOnlyDictionary<int, IReadOnlyList<TValue>> Group<TRow, TValue>(IEnumerable<TRow> rows, Func<TRow, int> key, Func<TRow, TValue> value) =>
        rows.GroupBy(key).ToDictionary(g => g.Key, g => (IReadOnlyList<TValue>)g.Select(value).ToList());
}
