using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Tags;

/// <summary>A slug a tag had before a rename or merge, so that old links keep finding it.</summary>
public sealed class TagSlugHistory
{
    public required string Slug { get; set; }
    public int TagId { get; set; }
}

internal sealed class TagSlugHistoryConfiguration : IEntityTypeConfiguration<TagSlugHistory>
{
    public void Configure(EntityTypeBuilder<TagSlugHistory> history)
    {
        history.HasKey(h => h.Slug);
        history.Property(h => h.Slug).HasMaxLength(TagLimits.Slug);
        history.HasIndex(h => h.TagId);
        history.HasOne<Tag>().WithMany().HasForeignKey(h => h.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
