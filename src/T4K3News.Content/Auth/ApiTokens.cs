using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Auth;

public sealed record IssuedToken(ApiToken Token, string Secret);

/// <summary>
/// Issues, checks and revokes API tokens. Secrets are 32 random bytes, shown once; the database keeps their SHA-256.
/// Checks go through the <see cref="ApiTokenCache"/>; revocations empty it on every instance.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<ContentDbContext> databases, ApiTokenCache cache, TimeProvider clock)
{
    public const string SecretPrefix = "t4k_";
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IssuedToken> CreateAsync(string name, TokenRole role, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || StoredText.Problem(name, ApiTokenLimits.Name) is not null)
            throw new ArgumentException($"A token name has 1 to {ApiTokenLimits.Name} characters, none of them NUL.");

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await db.ApiTokens.AnyAsync(t => t.Name == name, cancellationToken))
            throw new ArgumentException($"A token named '{name}' exists already; revoke it or choose another name.");

        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new ApiToken { Name = name, Role = role, SecretHash = Hash(secret), CreatedAt = now, ExpiresAt = now + lifetime };
        db.ApiTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ArgumentException($"A token named '{name}' exists already; revoke it or choose another name.");
        }

        return new IssuedToken(token, secret);
    }

    /// <summary>The active token with this secret, or null: unknown, revoked and expired tokens all stop here, at once.</summary>
    public async Task<ApiToken?> FindActiveAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        if (cache.TryGet(hash, now, out var cached))
        {
            if (cached.ClaimUseRecording(now, LastUsedResolution))
            {
                await using var recording = await databases.CreateDbContextAsync(cancellationToken);
                await RecordUseAsync(recording, cached.Token.Id, now, cancellationToken);
            }

            return cached.Token;
        }

        var generation = cache.Generation;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        if (token is null || !token.IsActive(now))
            return null;

        if (token.LastUsedAt is null || token.LastUsedAt < now - LastUsedResolution)
        {
            await RecordUseAsync(db, token.Id, now, cancellationToken);
            token.LastUsedAt = now;
        }

        cache.Store(hash, token, now, generation);
        return token;
    }

    /// <summary>Recorded at most once a minute per token, so that reading with a token does not turn every request into a write.</summary>
    private static async Task RecordUseAsync(ContentDbContext db, int tokenId, DateTime now, CancellationToken cancellationToken)
    {
        var recordedSince = now - LastUsedResolution;
        await db.ApiTokens.Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < recordedSince))
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes the token and announces it (NOTIFY, in the same transaction) so every instance forgets it at once.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ApiTokens.Where(t => t.Name == name && t.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), cancellationToken) == 0)
            return false;

        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({ApiTokenCache.RevocationChannel}, {name})", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Forget(name);
        return true;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AnyAsync(cancellationToken);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
