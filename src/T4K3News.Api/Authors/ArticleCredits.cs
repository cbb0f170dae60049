using GraphQL.DataLoader;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Authors;

/// <summary>
/// An article's credits and corrections as linked data (schema.org's NewsArticle) wants them: each person under the
/// property their role maps to, each correction a CorrectionComment with its datePublished. A correction moves the
/// article's updatedAt, its dateModified.
/// </summary>
public sealed record ArticleCredits(IReadOnlyList<CreditedPerson> People, IReadOnlyList<PublishedCorrection> Corrections)
{
    public static ArticleCredits Of(Article article, IReadOnlyList<Byline> bylines) => new(
        bylines.Select(b => new CreditedPerson(b.Author.Name, b.Author.Url, b.Role)).ToList(),
        article.Corrections.Select(c => new PublishedCorrection(c.Kind, c.Text, c.CreatedAt)).ToList());
}

/// <summary>A credited person; <see cref="SchemaOrgProperty"/> is the NewsArticle property they belong under.</summary>
public sealed record CreditedPerson(string Name, string? Url, BylineRole Role)
{
    public string SchemaOrgProperty => Role switch
    {
        BylineRole.Author => "author",
        BylineRole.Editor => "editor",
        _ => "contributor",
    };
}

/// <summary>A correction as a schema.org CorrectionComment: its text and datePublished.</summary>
public sealed record PublishedCorrection(CorrectionKind Kind, string Text, DateTime DatePublished);

public static class ArticleCreditsLoading
{
    /// <summary>The article's credits, its bylines loaded in the same batch as every other article's of the request.</summary>
    public static IDataLoaderResult<ArticleCredits> Credits(this AuthorLoaders loaders, Article article) =>
        new Mapped(loaders.Bylines.Load(article.Id), article);

    private sealed class Mapped(IDataLoaderResult<IReadOnlyList<Byline>> bylines, Article article) : IDataLoaderResult<ArticleCredits>
    {
        public async Task<ArticleCredits> GetResultAsync(CancellationToken cancellationToken = default) =>
            ArticleCredits.Of(article, await bylines.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
