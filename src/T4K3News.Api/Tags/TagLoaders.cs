using Microsoft.EntityFrameworkCore;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Tags;

public sealed class TagLoaders
{
    public TagLoaders(IDbContextFactory<ContentDbContext> databases, TimeProvider clock)
    {
        ById = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.Tags.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => (Tag?)t, ct);
        }, null);

        PublishedArticleCounts = new(async (ids, ct) =>
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await db.Articles.VisibleToReaders(clock.GetUtcNow().UtcDateTime)
                .SelectMany(a => a.ArticleTags)
                .Where(t => ids.Contains(t.TagId))
                .GroupBy(t => t.TagId)
                .ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
        }, 0);
    }

    public BatchLoader<int, Tag?> ById { get; }
    public BatchLoader<int, int> PublishedArticleCounts { get; }
}
