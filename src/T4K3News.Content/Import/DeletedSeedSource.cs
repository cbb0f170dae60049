using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;

namespace T4K3News.Content.Import;

/// <summary>
/// A seed document whose article an editor deleted, written in the delete's transaction: the importer reports the
/// document as skipped from then on instead of bringing the article back. Deleting this row lets it import again.
/// </summary>
public sealed class DeletedSeedSource
{
    public required string SourceFile { get; set; }
    public required string Slug { get; set; }
    public DateTime DeletedAt { get; set; }
    public required string DeletedBy { get; set; }
}

internal sealed class DeletedSeedSourceConfiguration : IEntityTypeConfiguration<DeletedSeedSource>
{
    public void Configure(EntityTypeBuilder<DeletedSeedSource> deleted)
    {
        deleted.HasKey(d => d.SourceFile);
        deleted.Property(d => d.SourceFile).HasMaxLength(ArticleLimits.SourceFile);
        deleted.Property(d => d.Slug).HasMaxLength(ArticleLimits.Slug);
        deleted.Property(d => d.DeletedBy).HasMaxLength(ApiTokenLimits.Name);
    }
}
