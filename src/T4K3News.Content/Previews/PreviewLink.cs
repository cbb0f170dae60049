using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using T4K3News.Content.Articles;

namespace T4K3News.Content.Previews;

/// <summary>
/// A link that lets whoever holds its token read one article in any status, until it expires or is revoked. The token
/// is shown once, at creation; only its SHA-256 hash is stored.
/// </summary>
public sealed class PreviewLink
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public required string TokenHash { get; set; }

    /// <summary>The token name of the editor who created it.</summary>
    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsLive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

public static class PreviewLinkLimits
{
    /// <summary>A SHA-256 in hexadecimal.</summary>
    public const int TokenHash = 64;

    /// <summary>As an API token's name.</summary>
    public const int CreatedBy = 100;
}

internal sealed class PreviewLinkConfiguration : IEntityTypeConfiguration<PreviewLink>
{
    public void Configure(EntityTypeBuilder<PreviewLink> link)
    {
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasIndex(l => l.ArticleId);
        link.Property(l => l.TokenHash).HasMaxLength(PreviewLinkLimits.TokenHash);
        link.Property(l => l.CreatedBy).HasMaxLength(PreviewLinkLimits.CreatedBy);
        link.HasOne<Article>().WithMany().HasForeignKey(l => l.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
