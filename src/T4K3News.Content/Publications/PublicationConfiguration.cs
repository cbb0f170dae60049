using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Publications;

public static class PublicationLimits
{
    public const int Name = 200;
}

internal sealed class PublicationConfiguration : IEntityTypeConfiguration<Publication>
{
    public void Configure(EntityTypeBuilder<Publication> publication)
    {
        publication.HasIndex(p => p.Name).IsUnique();
        publication.Property(p => p.Name).HasMaxLength(PublicationLimits.Name);
    }
}
