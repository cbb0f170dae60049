using System.Text.Json;

namespace T4K3News.Content.Articles;

/// <summary>Everything a revision keeps of an article, and what a restore brings back.</summary>
public sealed record ArticleSnapshot(
    string Slug,
    ArticleStatus Status,
    DateTime? PublishedAt,
    ArticleContent Content,
    IReadOnlyList<int> TagIds,
    IReadOnlyList<int> RelatedArticleIds)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IReadOnlyList<int> tagIds = Normalised(TagIds);

    /// <summary>An article's tags are a set: kept in id order without repeats, so the same tags sent in another order are no change.</summary>
    public IReadOnlyList<int> TagIds
    {
        get => tagIds;
        init => tagIds = Normalised(value);
    }

    /// <summary>Reads a loaded article; its tags and related links must be loaded.</summary>
    public static ArticleSnapshot Of(Article article) => new(
        article.Slug,
        article.Status,
        article.PublishedAt,
        new ArticleContent
        {
            Title = article.Title,
            Standfirst = article.Standfirst,
            HeroImageAltText = article.HeroImageAltText,
            HeroImageCaption = article.HeroImageCaption,
            BodyHeading = article.BodyHeading,
            Body = article.Body,
            Analysis = article.Analysis,
            ClosingLine = article.ClosingLine,
            Takeaways = article.Takeaways.Select(t => t.Text).ToList(),
            Quotes = article.Quotes.Select(q => new QuoteContent(q.Text, q.Speaker, q.Context)).ToList(),
            Highlights = article.Highlights.Select(h => h.Text).ToList(),
            Callouts = article.Callouts.Select(c => new CalloutContent(c.Title, c.Body)).ToList(),
        },
        article.ArticleTags.Select(t => t.TagId).ToList(),
        article.RelatedArticles.OrderBy(r => r.Position).Select(r => r.RelatedArticleId).ToList());

    private static IReadOnlyList<int> Normalised(IReadOnlyList<int> tagIds) => tagIds.Distinct().Order().ToList();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ArticleSnapshot FromJson(string json) => JsonSerializer.Deserialize<ArticleSnapshot>(json, Json)!;

    /// <summary>The names (as the GraphQL schema spells them) of the fields that differ from <paramref name="before"/>.</summary>
    public IReadOnlyList<string> ChangedFrom(ArticleSnapshot before)
    {
        var (a, b) = (before.Content, Content);
        var changes = new (string Field, bool Changed)[]
        {
            ("slug", before.Slug != Slug),
            ("status", before.Status != Status),
            ("publishedAt", before.PublishedAt != PublishedAt),
            ("title", a.Title != b.Title),
            ("standfirst", a.Standfirst != b.Standfirst),
            ("heroImage", a.HeroImageAltText != b.HeroImageAltText || a.HeroImageCaption != b.HeroImageCaption),
            ("bodyHeading", a.BodyHeading != b.BodyHeading),
            ("body", a.Body != b.Body),
            ("analysis", a.Analysis != b.Analysis),
            ("closingLine", a.ClosingLine != b.ClosingLine),
            ("takeaways", !a.Takeaways.SequenceEqual(b.Takeaways)),
            ("quotes", !a.Quotes.SequenceEqual(b.Quotes)),
            ("highlights", !a.Highlights.SequenceEqual(b.Highlights)),
            ("callouts", !a.Callouts.SequenceEqual(b.Callouts)),
            ("tags", !before.TagIds.SequenceEqual(TagIds)),
            ("relatedArticles", !before.RelatedArticleIds.SequenceEqual(RelatedArticleIds)),
        };
        return changes.Where(c => c.Changed).Select(c => c.Field).ToList();
    }
}
