using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Previews;

public sealed class PreviewOptions
{
    public const string Section = "Previews";

    /// <summary>How long a link lives when the editor does not say.</summary>
    public int DefaultHours { get; set; } = 24;

    /// <summary>The longest an editor may ask a link to live.</summary>
    public int MaxHours { get; set; } = 168;

    /// <summary>The most live (unexpired, unrevoked) links one article may have at once.</summary>
    public int MaxLinksPerArticle { get; set; } = 20;

    /// <summary>The front end's address, used in <see cref="UrlTemplate"/> as {baseUrl}: the host sets it from Site:BaseUrl.</summary>
    public string BaseUrl { get; set; } = "http://localhost:3000";

    /// <summary>The front end's preview page; {baseUrl}, {slug}, {token} and {articleId} are filled in (escaped for a URL).</summary>
    public string UrlTemplate { get; set; } = "{baseUrl}/preview/{slug}?token={token}";
}

public sealed record IssuedPreviewLink(PreviewLink Link, string Token, string Slug);

/// <summary>
/// Issues, checks and revokes preview links. Tokens are 32 random bytes (<c>t4kp_…</c>), stored as SHA-256 and compared
/// by hash; a token of the wrong length is refused before it is hashed.
/// </summary>
public sealed class PreviewLinks(IDbContextFactory<ContentDbContext> databases, IOptions<PreviewOptions> options, TimeProvider clock)
{
    public const string TokenPrefix = "t4kp_";

    /// <summary>The prefix and 32 bytes in unpadded base64url: every token has exactly this many characters.</summary>
    public const int TokenLength = 5 + 43;

    private PreviewOptions Settings => options.Value;

    public async Task<EditResult<IssuedPreviewLink>> CreateAsync(int articleId, int? expiresInHours, string createdBy, CancellationToken cancellationToken)
    {
        var hours = expiresInHours ?? Settings.DefaultHours;
        if (hours < 1 || hours > Settings.MaxHours)
            return EditResult<IssuedPreviewLink>.Failure(new ValidationError("expiresInHours", $"A preview link lives from 1 to {Settings.MaxHours} hours."));

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The article's row is locked so that two editors creating links at once cannot pass the per-article bound together.
        var slug = await db.Database.SqlQuery<string>($"SELECT \"Slug\" AS \"Value\" FROM \"Articles\" WHERE \"Id\" = {articleId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (slug is null)
            return EditResult<IssuedPreviewLink>.Failure(new NotFoundError($"{ArticleTypeName}:{articleId}", "No article has this id."));

        var now = clock.GetUtcNow().UtcDateTime;
        // Dead links of the article are dropped here, so its rows stay bounded too; their tokens, unknown now, stay refused.
        await db.PreviewLinks.Where(l => l.ArticleId == articleId && (l.RevokedAt != null || l.ExpiresAt <= now)).ExecuteDeleteAsync(cancellationToken);
        if (await db.PreviewLinks.CountAsync(l => l.ArticleId == articleId, cancellationToken) >= Settings.MaxLinksPerArticle)
            return EditResult<IssuedPreviewLink>.Failure(new ValidationError("articleId",
                $"The article has {Settings.MaxLinksPerArticle} live preview links already; revoke one first."));

        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new PreviewLink
        {
            ArticleId = articleId,
            TokenHash = Hash(token),
            CreatedBy = createdBy.Length > PreviewLinkLimits.CreatedBy ? createdBy[..PreviewLinkLimits.CreatedBy] : createdBy,
            CreatedAt = now,
            ExpiresAt = now.AddHours(hours),
        };
        db.PreviewLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return EditResult<IssuedPreviewLink>.Success(new IssuedPreviewLink(link, token, slug));
    }

    /// <summary>The live link of this token, or null: malformed, unknown, expired and revoked tokens all stop here.</summary>
    public async Task<PreviewLink?> FindLiveAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length != TokenLength || !token.StartsWith(TokenPrefix, StringComparison.Ordinal))
            return null;
        var hash = Hash(token);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var link = await db.PreviewLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        return link is not null && link.IsLive(clock.GetUtcNow().UtcDateTime) ? link : null;
    }

    /// <summary>The article's live links, newest first (at most <see cref="PreviewOptions.MaxLinksPerArticle"/> can be live).</summary>
    public async Task<List<PreviewLink>> LiveOfAsync(int articleId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.PreviewLinks.AsNoTracking()
            .Where(l => l.ArticleId == articleId && l.RevokedAt == null && l.ExpiresAt > now)
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .Take(Settings.MaxLinksPerArticle)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes a live link; it stops working at once (every request looks its token up).</summary>
    public async Task<EditResult<PreviewLink>> RevokeAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await db.PreviewLinks.SingleOrDefaultAsync(l => l.Id == id && l.RevokedAt == null && l.ExpiresAt > now, cancellationToken);
        if (link is null)
            return EditResult<PreviewLink>.Failure(new NotFoundError($"{PreviewLinkTypeName}:{id}", "No live preview link has this id."));
        link.RevokedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return EditResult<PreviewLink>.Success(link);
    }

    /// <summary>The link's address on the front end, from <see cref="PreviewOptions.UrlTemplate"/>.</summary>
    public string UrlFor(IssuedPreviewLink issued) => Settings.UrlTemplate
        .Replace("{baseUrl}", Settings.BaseUrl.TrimEnd('/'), StringComparison.Ordinal)
        .Replace("{slug}", Uri.EscapeDataString(issued.Slug), StringComparison.Ordinal)
        .Replace("{articleId}", issued.Link.ArticleId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{token}", Uri.EscapeDataString(issued.Token), StringComparison.Ordinal);

    private const string ArticleTypeName = "Article";
    private const string PreviewLinkTypeName = "PreviewLink";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
