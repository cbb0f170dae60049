using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Auth;

public enum TokenRole
{
    Editor,
    Admin,

    /// <summary>A front end server's delivery token: sees what anonymous readers see, with its own rate budget.</summary>
    Reader,
}

/// <summary>An API token: the secret is shown once at creation; only its SHA-256 hash is stored.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public TokenRole Role { get; set; }
    public required string SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

public static class ApiTokenLimits
{
    public const int Name = 100;

    /// <summary>A SHA-256 in hexadecimal.</summary>
    public const int SecretHash = 64;

    /// <summary>The longest role name.</summary>
    public const int Role = 20;
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.HasIndex(t => t.Name).IsUnique();
        token.HasIndex(t => t.SecretHash).IsUnique();
        token.Property(t => t.Name).HasMaxLength(ApiTokenLimits.Name);
        token.Property(t => t.SecretHash).HasMaxLength(ApiTokenLimits.SecretHash);
        token.Property(t => t.Role).HasConversion<string>().HasMaxLength(ApiTokenLimits.Role);
    }
}
