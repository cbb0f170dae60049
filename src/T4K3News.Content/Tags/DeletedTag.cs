using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using T4K3News.Content.Auth;

namespace T4K3News.Content.Tags;

/// <summary>
/// A slug whose tag an editor deleted (its current slug and any it had before), written in the delete's transaction,
/// so that the importer does not bring the tag back from the vocabulary. A tag created again with the slug clears it.
/// </summary>
public sealed class DeletedTag
{
    public required string Slug { get; set; }
    public DateTime DeletedAt { get; set; }
    public required string DeletedBy { get; set; }
}

internal sealed class DeletedTagConfiguration : IEntityTypeConfiguration<DeletedTag>
{
    public void Configure(EntityTypeBuilder<DeletedTag> deleted)
    {
        deleted.HasKey(d => d.Slug);
        deleted.Property(d => d.Slug).HasMaxLength(TagLimits.Slug);
        deleted.Property(d => d.DeletedBy).HasMaxLength(ApiTokenLimits.Name);
    }
}
