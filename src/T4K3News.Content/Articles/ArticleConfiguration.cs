using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Articles;

public static class ArticleLimits
{
    public const int Slug = 200;
    public const int Title = 300;
    public const int Standfirst = 1_000;
    public const int HeroImageAltText = 500;
    public const int HeroImageCaption = 1_000;
    public const int BodyHeading = 300;
    public const int Body = 100_000;
    public const int Analysis = 20_000;
    public const int ClosingLine = 1_000;
    public const int ListItem = 1_000;
    public const int CalloutTitle = 300;
    public const int CalloutBody = 5_000;
    public const int Speaker = 200;
    public const int ItemsPerList = 50;

    /// <summary>The seed document's file name, for imported articles.</summary>
    public const int SourceFile = 260;
}

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> article)
    {
        article.HasIndex(a => a.Slug).IsUnique();
        article.HasIndex(a => a.PublicationId);
        article.HasIndex(a => new { a.Status, a.PublishedAt });
        article.HasIndex(a => a.SourceFile).IsUnique();

        article.Property(a => a.Slug).HasMaxLength(ArticleLimits.Slug);
        article.Property(a => a.Title).HasMaxLength(ArticleLimits.Title);
        article.Property(a => a.Standfirst).HasMaxLength(ArticleLimits.Standfirst);
        article.Property(a => a.HeroImageAltText).HasMaxLength(ArticleLimits.HeroImageAltText);
        article.Property(a => a.HeroImageCaption).HasMaxLength(ArticleLimits.HeroImageCaption);
        article.Property(a => a.BodyHeading).HasMaxLength(ArticleLimits.BodyHeading);
        article.Property(a => a.Body).HasMaxLength(ArticleLimits.Body);
        article.Property(a => a.Analysis).HasMaxLength(ArticleLimits.Analysis);
        article.Property(a => a.ClosingLine).HasMaxLength(ArticleLimits.ClosingLine);
        article.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        article.Property(a => a.Version).IsConcurrencyToken();
        article.Property(a => a.SourceFile).HasMaxLength(ArticleLimits.SourceFile);
        article.Property(a => a.SourceHash).HasMaxLength(64);

        article.HasOne(a => a.Publication).WithMany().OnDelete(DeleteBehavior.Restrict);
        article.ComplexCollection(a => a.Takeaways, list => list.ToJson());
        article.ComplexCollection(a => a.Quotes, list => list.ToJson());
        article.ComplexCollection(a => a.Highlights, list => list.ToJson());
        article.ComplexCollection(a => a.Callouts, list => list.ToJson());
        article.HasMany(a => a.ArticleTags).WithOne().HasForeignKey(t => t.ArticleId).OnDelete(DeleteBehavior.Cascade);
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
