using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Authors;

/// <summary>One request's batched loads of authors and of articles' bylines; each batch opens its own DbContext.</summary>
public sealed class AuthorLoaders
{
    public AuthorLoaders(IDbContextFactory<ContentDbContext> databases)
    {
        ById = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.Authors.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => (Content.Authors.Author?)a, ct);
        }, null);

        Bylines = new(async (articleIds, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            var rows = await db.ArticleBylines.AsNoTracking().Where(b => articleIds.Contains(b.ArticleId))
                .OrderBy(b => b.Position)
                .Select(b => new { b.ArticleId, b.Author, b.Role })
                .ToListAsync(ct);
            return rows.GroupBy(r => r.ArticleId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Byline>)g.Select(r => new Byline(r.Author, r.Role)).ToList());
        }, []);
    }

    public BatchLoader<int, Content.Authors.Author?> ById { get; }

    /// <summary>An article's bylines in the editor's order, for a page of articles in one statement.</summary>
    public BatchLoader<int, IReadOnlyList<Byline>> Bylines { get; }
}
