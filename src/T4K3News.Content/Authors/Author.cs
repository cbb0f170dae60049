using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Authors;

/// <summary>How long an author's texts may be, and how many bylines an article may carry.</summary>
public static class AuthorLimits
{
    public const int Name = 200;
    public const int Slug = 100;
    public const int Bio = 2_000;
    public const int Url = 2_000;
    public const int BylinesPerArticle = 20;

    /// <summary>The longest role name.</summary>
    public const int Role = 20;
}

/// <summary>A person articles are credited to.</summary>
public sealed class Author
{
    public int Id { get; set; }

    /// <summary>The author's name as bylines print it.</summary>
    [MaxLength(AuthorLimits.Name)]
    public required string Name { get; set; }

    /// <summary>The author's name in URLs: lowercase words joined by hyphens, unique among authors.</summary>
    [MaxLength(AuthorLimits.Slug)]
    public required string Slug { get; set; }

    /// <summary>A few lines about the author; empty when there are none.</summary>
    [MaxLength(AuthorLimits.Bio)]
    public string Bio { get; set; } = "";

    /// <summary>The author's own page (an absolute http or https URL); null when there is none.</summary>
    [MaxLength(AuthorLimits.Url)]
    public string? Url { get; set; }
}

internal sealed class AuthorConfiguration : IEntityTypeConfiguration<Author>
{
    public void Configure(EntityTypeBuilder<Author> author)
    {
        author.HasIndex(a => a.Slug).IsUnique();
    }
}
