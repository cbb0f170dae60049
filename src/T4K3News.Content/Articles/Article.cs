namespace T4K3News.Content.Articles;

public enum ArticleStatus
{
    Draft,
    Published,
    Archived,
}

public sealed class Article
{
    public int Id { get; set; }
    public int PublicationId { get; set; }
    public Publications.Publication Publication { get; set; } = null!;

    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required string Standfirst { get; set; }
    public string? HeroImageAltText { get; set; }
    public string? HeroImageCaption { get; set; }
    public string? BodyHeading { get; set; }
    public required string Body { get; set; }
    public string? Analysis { get; set; }
    public string? ClosingLine { get; set; }

    public ArticleStatus Status { get; set; }

    /// <summary>When the article is (or becomes) visible to readers; a published article with a future time is scheduled.</summary>
    public DateTime? PublishedAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: every write states the version it was based on and bumps it.</summary>
    public int Version { get; set; }

    /// <summary>The seed document this article came from, and the article's version right after that import:
    /// a later version means an editor changed it, so a re-import must leave it alone.</summary>
    public string? SourceFile { get; set; }
    public string? SourceHash { get; set; }
    public int? ImportedVersion { get; set; }

    public List<Takeaway> Takeaways { get; set; } = [];
    public List<Quote> Quotes { get; set; } = [];
    public List<Highlight> Highlights { get; set; } = [];
    public List<Callout> Callouts { get; set; } = [];
    public List<ArticleTag> ArticleTags { get; set; } = [];
    public List<RelatedArticle> RelatedArticles { get; set; } = [];

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

public sealed record Takeaway
{
    public required string Text { get; init; }
}

public sealed record Quote
{
    public required string Text { get; init; }
    public string? Speaker { get; init; }
    public string? Context { get; init; }
}

public sealed record Highlight
{
    public required string Text { get; init; }
}

public sealed record Callout
{
    public required string Title { get; init; }
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
