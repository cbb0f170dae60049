using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.PersistedQueries;

namespace T4K3News.Api.PersistedQueries;

/// <summary>
/// Documents by SHA-256 hash, in PostgreSQL so that every server instance knows what any of them learned. Clients'
/// documents are kept within a quota (<see cref="GraphQLServerOptions.PersistedQueryMaxCount"/> and
/// <see cref="GraphQLServerOptions.PersistedQueryMaxBytes"/>), the least recently used going first; registered ones stay.
/// Each instance keeps the documents it has seen in memory within the same bounds, since a hash always names the same
/// document; only whether it is registered can change, by another instance, so a refusal is always checked again.
/// </summary>
public sealed class PersistedQueryStore(
    IDbContextFactory<ContentDbContext> databases, TimeProvider clock, IOptions<GraphQLServerOptions> options, ILogger<PersistedQueryStore> log)
    : IPersistedQueryStore
{
    /// <summary>A document's last use is written at most this often, so that asking by hash is not a write per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, PersistedQuery> cache = new();
    private long cachedBytes;

    private GraphQLServerOptions Limits => options.Value;

    public static string Hash(string document) => PersistedQueryHash.Of(document);

    async Task<string?> IPersistedQueryStore.FindAsync(string hash, bool registeredOnly, CancellationToken cancellationToken) =>
        (await FindAsync(hash, registeredOnly, cancellationToken))?.Document;

    /// <summary>The document with this hash; with <paramref name="registeredOnly"/> (allow-list mode), only a registered one.</summary>
    public async Task<PersistedQuery?> FindAsync(string hash, bool registeredOnly, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(hash, out var found) || (registeredOnly && !found.IsRegistered))
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            found = await db.PersistedQueries.AsNoTracking().SingleOrDefaultAsync(q => q.Hash == hash, cancellationToken);
            if (found is null)
                return null;
            Remember(found);
        }

        if (registeredOnly && !found.IsRegistered)
            return null;
        await RecordUseAsync(found, cancellationToken);
        return found;
    }

    /// <summary>
    /// Keeps a document a client sent with its hash (automatic persisted queries), once it has parsed and validated,
    /// making room within the quota. A store that cannot be written costs only the client a resend, so it is logged.
    /// </summary>
    public async Task RememberAsync(string document, CancellationToken cancellationToken)
    {
        var hash = Hash(document);
        if (cache.ContainsKey(hash) || document.Length > PersistedQueryLimits.Document)
            return;

        var now = clock.GetUtcNow().UtcDateTime;
        var query = new PersistedQuery { Hash = hash, Document = document, Bytes = Encoding.UTF8.GetByteCount(document), CreatedAt = now, LastUsedAt = now };
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var stored = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "PersistedQueries" ("Hash", "Document", "Bytes", "CreatedAt", "LastUsedAt", "IsRegistered")
                VALUES ({query.Hash}, {query.Document}, {query.Bytes}, {now}, {now}, FALSE)
                ON CONFLICT ("Hash") DO NOTHING
                """, cancellationToken);
            if (stored == 0)
                return;
            Remember(query);
            await EvictBeyondQuotaAsync(db, cancellationToken);
        }
        catch (DbException e)
        {
            log.LogWarning(e, "Could not store the persisted query {Hash}", hash);
        }
    }

    /// <summary>Stores a document and puts it on the allow-list; it is never evicted.</summary>
    public async Task RegisterAsync(string document, CancellationToken cancellationToken)
    {
        if (document.Length > PersistedQueryLimits.Document)
            throw new ArgumentException($"A persisted document has at most {PersistedQueryLimits.Document} characters (this one has {document.Length}).", nameof(document));

        var hash = Hash(document);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PersistedQueries" ("Hash", "Document", "Bytes", "CreatedAt", "LastUsedAt", "IsRegistered")
            VALUES ({hash}, {document}, {Encoding.UTF8.GetByteCount(document)}, {now}, {now}, TRUE)
            ON CONFLICT ("Hash") DO UPDATE SET "IsRegistered" = TRUE
            """, cancellationToken);
        Forget(hash);
    }

    /// <summary>Deletes the least recently used clients' documents beyond the quota (counted newest first); registered ones never.</summary>
    private async Task EvictBeyondQuotaAsync(ContentDbContext db, CancellationToken cancellationToken)
    {
        var evicted = await db.Database.SqlQuery<string>($"""
            DELETE FROM "PersistedQueries" WHERE "Hash" IN (
                SELECT "Hash" FROM (
                    SELECT "Hash", count(*) OVER newest AS "Count", sum("Bytes") OVER newest AS "Bytes"
                    FROM "PersistedQueries" WHERE NOT "IsRegistered"
                    WINDOW newest AS (ORDER BY "LastUsedAt" DESC, "Hash" ROWS UNBOUNDED PRECEDING)) kept
                WHERE "Count" > {Limits.PersistedQueryMaxCount} OR "Bytes" > {Limits.PersistedQueryMaxBytes})
            RETURNING "Hash" AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (var hash in evicted)
            Forget(hash);
    }

    /// <summary>Records when a client's document was used, at most once per <see cref="LastUsedResolution"/>.</summary>
    private async Task RecordUseAsync(PersistedQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var recordedSince = now - LastUsedResolution;
        if (query.IsRegistered || query.LastUsedAt >= recordedSince)
            return;
        query.LastUsedAt = now;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.PersistedQueries.Where(q => q.Hash == query.Hash && q.LastUsedAt < recordedSince)
            .ExecuteUpdateAsync(set => set.SetProperty(q => q.LastUsedAt, now), cancellationToken);
    }

    private void Remember(PersistedQuery query)
    {
        if (cache.ContainsKey(query.Hash))
        {
            Forget(query.Hash);
        }
        else if (cache.Count >= Limits.PersistedQueryMaxCount || Interlocked.Read(ref cachedBytes) + query.Bytes > Limits.PersistedQueryMaxBytes)
        {
            return;
        }

        if (cache.TryAdd(query.Hash, query))
            Interlocked.Add(ref cachedBytes, query.Bytes);
    }

    private void Forget(string hash)
    {
        if (cache.TryRemove(hash, out var forgotten))
            Interlocked.Add(ref cachedBytes, -forgotten.Bytes);
    }
}

public static class PersistedQueryServices
{
    public static IServiceCollection AddPersistedQueries(this IServiceCollection services) => services
        .AddSingleton<PersistedQueryStore>()
        .AddSingleton<IPersistedQueryStore>(provider => provider.GetRequiredService<PersistedQueryStore>());
}
