using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Articles;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> article)
    {
        article.HasIndex(a => a.Slug).IsUnique();
        article.HasIndex(a => a.PublicationId);
        article.HasIndex(a => new { a.Status, a.PublishedAt });
        article.HasIndex(a => a.SourceFile).IsUnique();

        // Lengths come from the properties' [MaxLength].
        article.Property(a => a.Status).HasConversion<string>().HasMaxLength(ArticleLimits.Status);
        article.Property(a => a.Version).IsConcurrencyToken();

        article.HasOne(a => a.Publication).WithMany().OnDelete(DeleteBehavior.Restrict);
        article.ComplexCollection(a => a.Takeaways, list => list.ToJson());
        article.ComplexCollection(a => a.Quotes, list => list.ToJson());
        article.ComplexCollection(a => a.Highlights, list => list.ToJson());
        article.ComplexCollection(a => a.Callouts, list => list.ToJson());
        article.HasMany(a => a.ArticleTags).WithOne().HasForeignKey(t => t.ArticleId).OnDelete(DeleteBehavior.Cascade);
        article.ComplexCollection(a => a.Corrections, list =>
        {
            list.ToJson();
            list.Property(c => c.Kind).HasConversion<string>();
        });
        article.HasMany(a => a.Bylines).WithOne().HasForeignKey(b => b.ArticleId).OnDelete(DeleteBehavior.Cascade);
        article.HasMany(a => a.RelatedArticles).WithOne().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ArticleTagConfiguration : IEntityTypeConfiguration<ArticleTag>
{
    public void Configure(EntityTypeBuilder<ArticleTag> articleTag)
    {
        articleTag.HasKey(t => new { t.ArticleId, t.TagId });
        articleTag.HasIndex(t => t.TagId);
        articleTag.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RelatedArticleConfiguration : IEntityTypeConfiguration<RelatedArticle>
{
    public void Configure(EntityTypeBuilder<RelatedArticle> related)
    {
        related.HasKey(r => new { r.ArticleId, r.RelatedArticleId });
        related.HasIndex(r => r.RelatedArticleId);
        related.HasOne(r => r.Related).WithMany().HasForeignKey(r => r.RelatedArticleId).OnDelete(DeleteBehavior.Cascade);
        related.ToTable(t => t.HasCheckConstraint("CK_RelatedArticles_NotSelf", "\"ArticleId\" <> \"RelatedArticleId\""));
    }
}
