using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Articles;

/// <summary>
/// A slug an article had before a rename, so that old links keep finding it (a redirect, for front ends). Written by
/// <see cref="ArticleWrite"/> whenever a write changes a slug; gone when the article takes the slug back or is deleted.
/// While it is here no other article may take the slug.
/// </summary>
public sealed class ArticleSlugHistory
{
    public required string Slug { get; set; }
    public int ArticleId { get; set; }
    public DateTime ReplacedAt { get; set; }
}

internal sealed class ArticleSlugHistoryConfiguration : IEntityTypeConfiguration<ArticleSlugHistory>
{
    public void Configure(EntityTypeBuilder<ArticleSlugHistory> history)
    {
        history.HasKey(h => h.Slug);
        history.Property(h => h.Slug).HasMaxLength(ArticleLimits.Slug);
        history.HasIndex(h => h.ArticleId);
        // Deleting an article frees its old slugs.
        history.HasOne<Article>().WithMany().HasForeignKey(h => h.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
