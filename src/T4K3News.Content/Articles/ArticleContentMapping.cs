namespace T4K3News.Content.Articles;

public static class ArticleContentMapping
{
    /// <summary>Trims every text so that what is stored is what readers see, with no stray whitespace.</summary>
    public static ArticleContent Trimmed(this ArticleContent content) => content with
    {
        Title = content.Title.Trim(),
        Standfirst = content.Standfirst.Trim(),
        HeroImageAltText = TrimToNull(content.HeroImageAltText),
        HeroImageCaption = TrimToNull(content.HeroImageCaption),
        BodyHeading = TrimToNull(content.BodyHeading),
        Body = content.Body.Trim(),
        Analysis = TrimToNull(content.Analysis),
        ClosingLine = TrimToNull(content.ClosingLine),
        Takeaways = content.Takeaways.Select(t => t.Trim()).ToList(),
        Quotes = content.Quotes.Select(q => new QuoteContent(q.Text.Trim(), TrimToNull(q.Speaker), TrimToNull(q.Context))).ToList(),
        Highlights = content.Highlights.Select(h => h.Trim()).ToList(),
        Callouts = content.Callouts.Select(c => new CalloutContent(c.Title.Trim(), c.Body.Trim())).ToList(),
    };

    /// <summary>Writes the content onto the article; the ordered lists are replaced whole, which is also how they are reordered.</summary>
    public static void ApplyTo(this ArticleContent content, Article article)
    {
        article.Title = content.Title;
        article.Standfirst = content.Standfirst;
        article.HeroImageAltText = content.HeroImageAltText;
        article.HeroImageCaption = content.HeroImageCaption;
        article.BodyHeading = content.BodyHeading;
        article.Body = content.Body;
        article.Analysis = content.Analysis;
        article.ClosingLine = content.ClosingLine;
        article.Takeaways = content.Takeaways.Select(text => new Takeaway { Text = text }).ToList();
        article.Quotes = content.Quotes.Select(q => new Quote { Text = q.Text, Speaker = q.Speaker, Context = q.Context }).ToList();
        article.Highlights = content.Highlights.Select(text => new Highlight { Text = text }).ToList();
        article.Callouts = content.Callouts.Select(c => new Callout { Title = c.Title, Body = c.Body }).ToList();
    }

    private static string? TrimToNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
