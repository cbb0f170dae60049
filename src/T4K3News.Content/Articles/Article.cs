using System.ComponentModel.DataAnnotations;

namespace T4K3News.Content.Articles;

public enum ArticleStatus
{
    Draft,
    Published,

    /// <summary>Published, with a publication time still to come: reported, never stored (stored as published).</summary>
    Scheduled,
    Archived,
}

/// <summary>How long an article's texts may be (their columns), and its lists.</summary>
public static class ArticleLimits
{
    public const int Slug = 200;
    public const int Kicker = 100;
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

    /// <summary>A SHA-256 in hexadecimal.</summary>
    public const int SourceHash = 64;

    /// <summary>The longest status name.</summary>
    public const int Status = 20;
}

/// <summary>A news article: its text, its ordered parts and where it stands in the publishing workflow.</summary>
/// <remarks>
/// The one place an article's fields are declared. Every property not marked [Editable(false)] is a field editors write:
/// its column, its rules (a text without '?' is required; [MaxLength] bounds it), its place in revisions and its GraphQL
/// field (the summary is its description) all come from here (see <see cref="ArticleFields"/>).
/// </remarks>
public sealed class Article
{
    [Editable(false)]
    public int Id { get; set; }

    [Editable(false)]
    public int PublicationId { get; set; }

    [Editable(false)]
    public Publications.Publication Publication { get; set; } = null!;

    /// <summary>The article's name in URLs: lowercase words joined by hyphens, unique among articles.</summary>
    [MaxLength(ArticleLimits.Slug)]
    public string Slug { get; set; } = "";

    /// <summary>Where the article stands in the publishing workflow.</summary>
    [Editable(false)]
    public ArticleStatus Status { get; set; }

    /// <summary>When the article is (or becomes) visible to readers; a published article with a future time is scheduled.</summary>
    [Editable(false)]
    public DateTime? PublishedAt { get; set; }

    /// <summary>When readers could first see the article: set by its first publication, kept through republishing.</summary>
    [Editable(false)]
    public DateTime? FirstPublishedAt { get; set; }

    /// <summary>A short line above the headline.</summary>
    [MaxLength(ArticleLimits.Kicker)]
    [OneLine]
    public string? Kicker { get; set; }

    /// <summary>The headline.</summary>
    [MaxLength(ArticleLimits.Title)]
    [OneLine]
    public string Title { get; set; } = "";

    /// <summary>The summary under the headline.</summary>
    [MaxLength(ArticleLimits.Standfirst)]
    [OneLine]
    public string Standfirst { get; set; } = "";

    [MaxLength(ArticleLimits.HeroImageAltText)]
    public string? HeroImageAltText { get; set; }

    [MaxLength(ArticleLimits.HeroImageCaption)]
    public string? HeroImageCaption { get; set; }

    [MaxLength(ArticleLimits.BodyHeading)]
    public string? BodyHeading { get; set; }

    /// <summary>Paragraphs separated by a blank line.</summary>
    [MaxLength(ArticleLimits.Body)]
    public string Body { get; set; } = "";

    /// <summary>The newsroom's reading of the story, after the quotes; paragraphs separated by a blank line.</summary>
    [MaxLength(ArticleLimits.Analysis)]
    public string? Analysis { get; set; }

    /// <summary>The last line of the article.</summary>
    [MaxLength(ArticleLimits.ClosingLine)]
    public string? ClosingLine { get; set; }

    /// <summary>Key takeaways, in order.</summary>
    public List<Takeaway> Takeaways { get; set; } = [];

    /// <summary>Quotes with their editorial context, in order.</summary>
    public List<Quote> Quotes { get; set; } = [];

    /// <summary>Highlights, in order.</summary>
    public List<Highlight> Highlights { get; set; } = [];

    /// <summary>Titled boxes such as a "rising risks" box, in order.</summary>
    public List<Callout> Callouts { get; set; } = [];

    [Editable(false)]
    public DateTime CreatedAt { get; set; }

    [Editable(false)]
    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: every write states the version it was based on and bumps it.</summary>
    [Editable(false)]
    public int Version { get; set; }

    // The seed document this article came from, and the article's version right after that import: a later version
    // means an editor changed it, so a re-import must leave it alone.
    [Editable(false)]
    [MaxLength(ArticleLimits.SourceFile)]
    public string? SourceFile { get; set; }

    [Editable(false)]
    [MaxLength(ArticleLimits.SourceHash)]
    public string? SourceHash { get; set; }

    [Editable(false)]
    public int? ImportedVersion { get; set; }

    /// <summary>Set through <see cref="SetTags"/>; revisions keep the tags' ids.</summary>
    [Editable(false)]
    public List<ArticleTag> ArticleTags { get; set; } = [];

    /// <summary>Set through <see cref="SetRelatedArticles"/>; revisions keep the articles' ids, in order.</summary>
    [Editable(false)]
    public List<RelatedArticle> RelatedArticles { get; set; } = [];

    /// <summary>Set through <see cref="SetBylines"/>; revisions keep the authors' ids and roles, in order.</summary>
    [Editable(false)]
    public List<ArticleByline> Bylines { get; set; } = [];

    /// <summary>Public notes on later changes, oldest first; only ever appended to (see Corrections.CorrectionDesk).</summary>
    [Editable(false)]
    public List<Correction> Corrections { get; set; } = [];

    /// <summary>Tags the article with exactly these tags, keeping the links that stay (its tags must be loaded).</summary>
    public void SetTags(IEnumerable<int> tagIds)
    {
        var wanted = tagIds.Distinct().ToList();
        ArticleTags.RemoveAll(t => !wanted.Contains(t.TagId));
        ArticleTags.AddRange(wanted.Where(id => ArticleTags.All(t => t.TagId != id)).Select(id => new ArticleTag { TagId = id }));
    }

    /// <summary>
    /// Credits exactly these authors in these roles, in this order, keeping the bylines that stay (its bylines must be
    /// loaded); the same author in the same role again is dropped, the first place counts.
    /// </summary>
    public void SetBylines(IReadOnlyList<(int AuthorId, BylineRole Role)> bylines)
    {
        var wanted = bylines.Distinct().ToList();
        Bylines.RemoveAll(b => !wanted.Contains((b.AuthorId, b.Role)));
        for (var position = 0; position < wanted.Count; position++)
        {
            var (authorId, role) = wanted[position];
            var byline = Bylines.Find(b => b.AuthorId == authorId && b.Role == role);
            if (byline is null)
                Bylines.Add(new ArticleByline { AuthorId = authorId, Role = role, Position = position });
            else
                byline.Position = position;
        }
    }

    /// <summary>Links exactly these articles, in this order, keeping the links that stay (their related links must be loaded).</summary>
    public void SetRelatedArticles(IReadOnlyList<int> relatedIds)
    {
        var wanted = relatedIds.Distinct().ToList();
        RelatedArticles.RemoveAll(r => !wanted.Contains(r.RelatedArticleId));
        for (var position = 0; position < wanted.Count; position++)
        {
            var link = RelatedArticles.Find(r => r.RelatedArticleId == wanted[position]);
            if (link is null)
                RelatedArticles.Add(new RelatedArticle { RelatedArticleId = wanted[position], Position = position });
            else
                link.Position = position;
        }
    }
}

// The ordered lists have no identity of their own and are only ever read with their article: each is a JSON column.
// An item of a single text travels in inputs (and is named in validation errors) as that text.

/// <summary>One key takeaway.</summary>
public sealed record Takeaway
{
    [MaxLength(ArticleLimits.ListItem)]
    public required string Text { get; init; }
}

/// <summary>A quoted sentence; speaker is known only when the text names one, context is the editor's line about it.</summary>
public sealed record Quote
{
    [MaxLength(ArticleLimits.ListItem)]
    public required string Text { get; init; }

    [MaxLength(ArticleLimits.Speaker)]
    public string? Speaker { get; init; }

    [MaxLength(ArticleLimits.ListItem)]
    public string? Context { get; init; }
}

/// <summary>One highlight.</summary>
public sealed record Highlight
{
    [MaxLength(ArticleLimits.ListItem)]
    public required string Text { get; init; }
}

/// <summary>A titled box beside the article.</summary>
public sealed record Callout
{
    [MaxLength(ArticleLimits.CalloutTitle)]
    public required string Title { get; init; }

    [MaxLength(ArticleLimits.CalloutBody)]
    public required string Body { get; init; }
}

public sealed class ArticleTag
{
    public int ArticleId { get; set; }
    public int TagId { get; set; }
    public Tags.Tag Tag { get; set; } = null!;
}

public sealed class RelatedArticle
{
    public int ArticleId { get; set; }
    public int RelatedArticleId { get; set; }
    public int Position { get; set; }
    public Article Related { get; set; } = null!;
}
