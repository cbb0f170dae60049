using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Syndication;

/// <summary>A person a feed names as an article's author: an author credited as author or contributor.</summary>
public sealed record FeedAuthor(int Id, string Name, string? Url);

/// <summary>An article as feeds and sitemaps show it.</summary>
public sealed record SyndicatedArticle(
    int Id, string Slug, string Title, string Standfirst, DateTime PublishedAt, DateTime UpdatedAt, string PublicationName, IReadOnlyList<string> Tags)
{
    /// <summary>
    /// The people who wrote it, in the bylines' order, each once: authors and contributors. Photographers and editors
    /// are credited on the article but did not write it, so feeds do not name them as its authors.
    /// </summary>
    public IReadOnlyList<FeedAuthor> Authors { get; init; } = [];

    /// <summary>Stable whatever the article's slug or title becomes.</summary>
    public string FeedId => "urn:t4k3news:article:" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>When it last changed for a reader: its last edit, or its publication if that came later (a scheduled article).</summary>
    public DateTime LastModified => PublishedAt > UpdatedAt ? PublishedAt : UpdatedAt;
}

/// <summary>What feeds and sitemaps read: only what readers see (published and due), whatever the caller.</summary>
public static class SyndicatedArticles
{
    public static IQueryable<Article> Visible(ContentDbContext db, DateTime now) => db.Articles.AsNoTracking().VisibleToReaders(now);

    public static Task<List<SyndicatedArticle>> ReadAsync(IQueryable<Article> articles, CancellationToken cancellationToken) =>
        articles.Select(a => new SyndicatedArticle(
                a.Id, a.Slug, a.Title, a.Standfirst, a.PublishedAt!.Value, a.UpdatedAt, a.Publication.Name,
                a.ArticleTags.OrderBy(t => t.Tag.Name).Select(t => t.Tag.Name).ToList()))
            .ToListAsync(cancellationToken);

    /// <summary>The articles with their <see cref="SyndicatedArticle.Authors"/>, for feeds (sitemaps name none).</summary>
    public static async Task<List<SyndicatedArticle>> ReadWithAuthorsAsync(
        IQueryable<Article> articles, CancellationToken cancellationToken)
    {
        var read = await articles.Select(a => new
            {
                Article = new SyndicatedArticle(
                    a.Id, a.Slug, a.Title, a.Standfirst, a.PublishedAt!.Value, a.UpdatedAt, a.Publication.Name,
                    a.ArticleTags.OrderBy(t => t.Tag.Name).Select(t => t.Tag.Name).ToList()),
                Authors = a.Bylines
                    .Where(b => b.Role == BylineRole.Author || b.Role == BylineRole.Contributor)
                    .OrderBy(b => b.Position)
                    .Select(b => new FeedAuthor(b.AuthorId, b.Author.Name, b.Author.Url))
                    .ToList(),
            })
            .ToListAsync(cancellationToken);
        return [.. read.Select(r => r.Article with { Authors = [.. r.Authors.DistinctBy(author => author.Id)] })];
    }

    /// <summary>The newest visible articles, newest first (ties by id, so the order is stable).</summary>
    public static IQueryable<Article> Latest(IQueryable<Article> visible, int count) =>
        visible.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(count);

    /// <summary>
    /// Until when what readers see stays as it is without an event: the next scheduled publication (or
    /// <paramref name="otherwise"/>, e.g. when an article leaves the news sitemap's window, if earlier).
    /// </summary>
    public static async Task<DateTime> UnchangedUntilAsync(ContentDbContext db, DateTime now, CancellationToken cancellationToken, DateTime? otherwise = null)
    {
        var next = await db.Articles.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt > now).MinAsync(a => a.PublishedAt, cancellationToken);
        var until = next ?? DateTime.MaxValue;
        return otherwise is { } other && other < until ? other : until;
    }

    /// <summary>
    /// Text as XML 1.0 can carry it: stored text may hold control characters (U+0001 …) that XML has no form for, even
    /// escaped; each becomes U+FFFD, so that a feed or sitemap is always well-formed.
    /// </summary>
    public static string XmlText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlChar(text, i) is 0)
                return string.Create(text.Length, text, static (characters, source) =>
                {
                    for (var j = 0; j < source.Length; j++)
                    {
                        var length = XmlChar(source, j);
                        if (length == 2)
                        {
                            characters[j] = source[j];
                            characters[j + 1] = source[j + 1];
                            j++;
                        }
                        else
                        {
                            characters[j] = length == 1 ? source[j] : '\uFFFD';
                        }
                    }
                });
            if (XmlChar(text, i) is 2)
                i++;
        }

        return text;
    }

    /// <summary>How many characters at <paramref name="i"/> make one XML character (2: a surrogate pair), or 0 when none.</summary>
    private static int XmlChar(string text, int i) =>
        System.Xml.XmlConvert.IsXmlChar(text[i]) ? 1
        : i + 1 < text.Length && System.Xml.XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]) ? 2
        : 0;
}
