using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.PersistedQueries;

namespace T4K3News.Api.PersistedQueries;

/// <summary>
/// Documents by SHA-256 hash, in PostgreSQL so that every server instance knows what any of them learned; each instance
/// keeps the documents it has seen in memory, since a hash always names the same document.
/// </summary>
public sealed class PersistedQueryStore(IDbContextFactory<ContentDbContext> databases, TimeProvider clock)
{
    private const int MaxCachedDocuments = 10_000;
    private readonly ConcurrentDictionary<string, PersistedQuery> cache = new();

    public static string Hash(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public async Task<PersistedQuery?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(hash, out var known))
            return known;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var found = await db.PersistedQueries.AsNoTracking().SingleOrDefaultAsync(q => q.Hash == hash, cancellationToken);
        if (found is not null)
            Remember(found);
        return found;
    }

    /// <summary>Stores a document; <paramref name="register"/> also puts it on the allow-list.</summary>
    public async Task SaveAsync(string document, bool register, CancellationToken cancellationToken)
    {
        var hash = Hash(document);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "PersistedQueries" ("Hash", "Document", "CreatedAt", "IsRegistered")
            VALUES ({hash}, {document}, {clock.GetUtcNow().UtcDateTime}, {register})
            ON CONFLICT ("Hash") DO UPDATE SET "IsRegistered" = "PersistedQueries"."IsRegistered" OR EXCLUDED."IsRegistered"
            """, cancellationToken);
        cache.TryRemove(hash, out _);
    }

    private void Remember(PersistedQuery query)
    {
        if (cache.Count < MaxCachedDocuments)
            cache[query.Hash] = query;
    }
}
