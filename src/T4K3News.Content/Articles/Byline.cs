using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using T4K3News.Content.Authors;

namespace T4K3News.Content.Articles;

/// <summary>What an author did for an article.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BylineRole>))]
public enum BylineRole
{
    /// <summary>Wrote the article.</summary>
    Author,

    /// <summary>Contributed reporting or text.</summary>
    Contributor,

    /// <summary>Took its pictures.</summary>
    Photographer,

    /// <summary>Edited it.</summary>
    Editor,
}

/// <summary>
/// One credit on an article, at its place in the editor's order. An author appears once per role: the same author and
/// role given twice is one byline, at its first place.
/// </summary>
public sealed class ArticleByline
{
    public int ArticleId { get; set; }
    public int AuthorId { get; set; }
    public BylineRole Role { get; set; }
    public int Position { get; set; }
    public Author Author { get; set; } = null!;
}

internal sealed class ArticleBylineConfiguration : IEntityTypeConfiguration<ArticleByline>
{
    public void Configure(EntityTypeBuilder<ArticleByline> byline)
    {
        byline.HasKey(b => new { b.ArticleId, b.AuthorId, b.Role });
        byline.HasIndex(b => b.AuthorId);
        byline.Property(b => b.Role).HasConversion<string>().HasMaxLength(AuthorLimits.Role);
        // An author leaves an article only through a versioned write (deleteAuthor with force revises each article first).
        byline.HasOne(b => b.Author).WithMany().HasForeignKey(b => b.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}
