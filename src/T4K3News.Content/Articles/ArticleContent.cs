namespace T4K3News.Content.Articles;

/// <summary>Everything an editor (or a seed document) says about an article, before it is stored.
/// Both the importer and the editors' mutations go through <see cref="ArticleValidator"/> with this.</summary>
public sealed record ArticleContent
{
    public required string Title { get; init; }
    public required string Standfirst { get; init; }
    public string? HeroImageAltText { get; init; }
    public string? HeroImageCaption { get; init; }
    public string? BodyHeading { get; init; }

    /// <summary>Paragraphs separated by one blank line ("\n\n").</summary>
    public required string Body { get; init; }

    /// <summary>Paragraphs separated by one blank line ("\n\n").</summary>
    public string? Analysis { get; init; }
    public string? ClosingLine { get; init; }
    public IReadOnlyList<string> Takeaways { get; init; } = [];
    public IReadOnlyList<QuoteContent> Quotes { get; init; } = [];
    public IReadOnlyList<string> Highlights { get; init; } = [];
    public IReadOnlyList<CalloutContent> Callouts { get; init; } = [];
}

public sealed record QuoteContent(string Text, string? Speaker, string? Context);

public sealed record CalloutContent(string Title, string Body);
