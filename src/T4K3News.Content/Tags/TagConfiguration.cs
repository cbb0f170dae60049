using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Tags;

public static class TagLimits
{
    public const int Name = 100;
    public const int Slug = 100;
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> tag)
    {
        tag.HasIndex(t => t.Slug).IsUnique();
        tag.Property(t => t.Slug).HasMaxLength(TagLimits.Slug);
        tag.Property(t => t.Name).HasMaxLength(TagLimits.Name);
    }
}
