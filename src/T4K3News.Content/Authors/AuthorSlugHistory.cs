using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Authors;

/// <summary>
/// A slug an author had before a change, so that links to their page keep finding them. While it is here no other
/// author may take the slug; it is gone when the author takes it back or is deleted.
/// </summary>
public sealed class AuthorSlugHistory
{
    public required string Slug { get; set; }
    public int AuthorId { get; set; }
    public DateTime ReplacedAt { get; set; }
}

internal sealed class AuthorSlugHistoryConfiguration : IEntityTypeConfiguration<AuthorSlugHistory>
{
    public void Configure(EntityTypeBuilder<AuthorSlugHistory> history)
    {
        history.HasKey(h => h.Slug);
        history.Property(h => h.Slug).HasMaxLength(AuthorLimits.Slug);
        history.HasIndex(h => h.AuthorId);
        // Deleting an author frees their old slugs.
        history.HasOne<Author>().WithMany().HasForeignKey(h => h.AuthorId).OnDelete(DeleteBehavior.Cascade);
    }
}
