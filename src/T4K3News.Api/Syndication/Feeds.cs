using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Syndication;

public enum FeedFormat
{
    Rss,
    Atom,
    Json,
}

/// <summary>
/// The latest visible articles as RSS 2.0, Atom 1.0 (System.ServiceModel.Syndication) and JSON Feed 1.1
/// (System.Text.Json): all of them, or those of one tag. An item's id is <c>urn:t4k3news:article:{id}</c>, its link the
/// article's URL on the site, its summary the standfirst, its categories the tags' names, its authors those of its
/// bylines that wrote it (<see cref="SyndicatedArticle.Authors"/>). An article with none names no author of its own:
/// Atom and JSON Feed name the site as the feed's author, which readers take for such entries; RSS names nobody.
/// </summary>
public static class Feeds
{
    /// <summary>
    /// Dublin Core, whose <c>creator</c> names an RSS item's authors (RSS's own <c>author</c> holds an e-mail address).
    /// </summary>
    public const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";

    public static string FileName(FeedFormat format) => format switch
    {
        FeedFormat.Rss => "rss.xml",
        FeedFormat.Atom => "atom.xml",
        _ => "feed.json",
    };

    public static string ContentType(FeedFormat format) => format switch
    {
        FeedFormat.Rss => "application/rss+xml; charset=utf-8",
        FeedFormat.Atom => "application/atom+xml; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    /// <summary>The feed, and until when it holds without an event.</summary>
    public static async Task<(byte[] Body, DateTime ValidUntil)> MakeAsync(
        ContentDbContext db, FeedFormat format, Tag? tag, SiteOptions site, int items, DateTime now, CancellationToken cancellationToken)
    {
        var visible = SyndicatedArticles.Visible(db, now);
        if (tag is not null)
            visible = visible.Where(a => a.ArticleTags.Any(t => t.TagId == tag.Id));
        var latest = SyndicatedArticles.Latest(visible, items);
        var articles = await SyndicatedArticles.ReadWithAuthorsAsync(latest, cancellationToken);
        var validUntil = await SyndicatedArticles.UnchangedUntilAsync(db, now, cancellationToken);

        var title = tag is null ? site.Title : $"{site.Title}: {tag.Name}";
        var path = tag is null ? "/feeds/" : $"/feeds/tags/{tag.Slug}/";
        var self = site.BaseUrl.TrimEnd('/') + path + FileName(format);
        var feedId = tag is null ? "urn:t4k3news:feed" : $"urn:t4k3news:feed:tag:{tag.Id}";
        var updated = articles.Count == 0 ? DateTime.UnixEpoch : articles.Max(a => a.LastModified);
        var body = format == FeedFormat.Json
            ? JsonFeed(articles, site, title, self)
            : Xml(articles, site, format, title, self, feedId, updated);
        return (body, validUntil);
    }

    private static byte[] Xml(List<SyndicatedArticle> articles, SiteOptions site, FeedFormat format, string title, string self, string feedId, DateTime updated)
    {
        title = SyndicatedArticles.XmlText(title);
        var feed = new SyndicationFeed(title, $"The latest articles of {title}.", new Uri(site.BaseUrl))
        {
            Id = feedId,
            Language = site.Language,
            LastUpdatedTime = Utc(updated),
            Items = articles.Select(article =>
            {
                var item = new SyndicationItem(SyndicatedArticles.XmlText(article.Title), (SyndicationContent?)null, new Uri(site.ArticleUrl(article.Slug)), article.FeedId, Utc(article.LastModified))
                {
                    Summary = new TextSyndicationContent(SyndicatedArticles.XmlText(article.Standfirst)),
                    PublishDate = Utc(article.PublishedAt),
                };
                foreach (var tag in article.Tags)
                    item.Categories.Add(new SyndicationCategory(SyndicatedArticles.XmlText(tag), null, SyndicatedArticles.XmlText(tag)));
                foreach (var author in article.Authors)
                {
                    var name = SyndicatedArticles.XmlText(author.Name);
                    if (format == FeedFormat.Rss)
                        item.ElementExtensions.Add("creator", DublinCoreNamespace, name);
                    else
                        item.Authors.Add(new SyndicationPerson(null, name, author.Url));
                }

                return item;
            }).ToList(),
        };
        if (format == FeedFormat.Atom)
            // Atom wants an author for every entry: the site stands for those whose bylines name no writer.
            feed.Authors.Add(new SyndicationPerson(null, site.Title, site.BaseUrl));
        else
            feed.AttributeExtensions.Add(
                new XmlQualifiedName("dc", "http://www.w3.org/2000/xmlns/"), DublinCoreNamespace);
        feed.Links.Add(new SyndicationLink(new Uri(self), "self", null, format == FeedFormat.Rss ? "application/rss+xml" : "application/atom+xml", 0));

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Async = false }))
        {
            if (format == FeedFormat.Rss)
                new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true).WriteTo(xml);
            else
                new Atom10FeedFormatter(feed).WriteTo(xml);
        }

        return buffer.ToArray();
    }

    private static byte[] JsonFeed(List<SyndicatedArticle> articles, SiteOptions site, string title, string self)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "https://jsonfeed.org/version/1.1");
            json.WriteString("title", title);
            json.WriteString("home_page_url", site.BaseUrl);
            json.WriteString("feed_url", self);
            json.WriteString("language", site.Language);
            // As in Atom, the feed's author stands for items that name none of their own.
            WriteAuthors(json, [new FeedAuthor(0, site.Title, site.BaseUrl)]);
            json.WriteStartArray("items");
            foreach (var article in articles)
            {
                json.WriteStartObject();
                json.WriteString("id", article.FeedId);
                json.WriteString("url", site.ArticleUrl(article.Slug));
                json.WriteString("title", article.Title);
                json.WriteString("summary", article.Standfirst);
                json.WriteString("content_text", article.Standfirst);
                json.WriteString("date_published", Utc(article.PublishedAt));
                json.WriteString("date_modified", Utc(article.LastModified));
                if (article.Authors.Count > 0)
                    WriteAuthors(json, article.Authors);
                json.WriteStartArray("tags");
                foreach (var tag in article.Tags)
                    json.WriteStringValue(tag);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAuthors(Utf8JsonWriter json, IReadOnlyList<FeedAuthor> authors)
    {
        json.WriteStartArray("authors");
        foreach (var author in authors)
        {
            json.WriteStartObject();
            json.WriteString("name", author.Name);
            if (author.Url is not null)
                json.WriteString("url", author.Url);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The tag with this slug now, or the tag a slug led to before a rename or merge (then <c>Moved</c>).</summary>
    public static async Task<(Tag? Tag, bool Moved)> FindTagAsync(ContentDbContext db, string slug, CancellationToken cancellationToken)
    {
        if (await db.Tags.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken) is { } tag)
            return (tag, false);
        var moved = await db.TagSlugHistory.Where(h => h.Slug == slug).Join(db.Tags, h => h.TagId, t => t.Id, (_, t) => t).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return (moved, moved is not null);
    }
}
