using System.Globalization;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;

namespace T4K3News.Api.Syndication;

/// <summary>
/// Sitemaps (sitemaps.org 0.9) of every visible article with its <c>lastmod</c>: one <c>urlset</c> while they fit a
/// page, else an index of <c>/sitemaps/{n}.xml</c> pages in the order of the articles' ids (so an article stays on its
/// page as others are published). And the Google News sitemap of what was published in the last 48 hours.
/// The schema wants at least one <c>url</c> in a <c>urlset</c>, so a sitemap with no article lists the front page.
/// </summary>
public static class Sitemaps
{
    public const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string NewsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";
    public const string ContentType = "application/xml; charset=utf-8";

    /// <summary><c>/sitemap.xml</c>: every article, or the index of the pages.</summary>
    public static async Task<(byte[] Body, DateTime ValidUntil)> MakeAsync(ContentDbContext db, SiteOptions site, int pageSize, DateTime now, CancellationToken cancellationToken)
    {
        var visible = SyndicatedArticles.Visible(db, now);
        var count = await visible.CountAsync(cancellationToken);
        if (count <= pageSize)
            return await MakePageAsync(db, site, pageSize, 1, now, cancellationToken) ?? throw new InvalidOperationException("The first page always exists.");

        // Each page's lastmod: the latest change among its articles, read as a stream (one date per article held at a time).
        var pages = new List<DateTime>();
        var onPage = 0;
        await foreach (var changed in visible.OrderBy(a => a.Id)
                           .Select(a => a.PublishedAt > a.UpdatedAt ? a.PublishedAt!.Value : a.UpdatedAt)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (onPage == 0)
                pages.Add(changed);
            else if (changed > pages[^1])
                pages[^1] = changed;
            onPage = (onPage + 1) % pageSize;
        }

        var body = Write(xml =>
        {
            xml.WriteStartElement("sitemapindex", SitemapNamespace);
            for (var n = 0; n < pages.Count; n++)
            {
                xml.WriteStartElement("sitemap", SitemapNamespace);
                xml.WriteElementString("loc", SitemapNamespace, $"{site.BaseUrl.TrimEnd('/')}/sitemaps/{n + 1}.xml");
                xml.WriteElementString("lastmod", SitemapNamespace, W3C(pages[n]));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        });
        return (body, await SyndicatedArticles.UnchangedUntilAsync(db, now, cancellationToken));
    }

    /// <summary><c>/sitemaps/{page}.xml</c>; null past the last page.</summary>
    public static async Task<(byte[] Body, DateTime ValidUntil)?> MakePageAsync(ContentDbContext db, SiteOptions site, int pageSize, int page, DateTime now, CancellationToken cancellationToken)
    {
        var visible = SyndicatedArticles.Visible(db, now);
        var offset = (long)(page - 1) * pageSize;
        if (page < 1 || (page > 1 && offset >= await visible.CountAsync(cancellationToken)))
            return null;
        var articles = await visible.OrderBy(a => a.Id).Skip((int)offset).Take(pageSize)
            .Select(a => new { a.Slug, a.PublishedAt, a.UpdatedAt })
            .ToListAsync(cancellationToken);
        var body = Write(xml =>
        {
            xml.WriteStartElement("urlset", SitemapNamespace);
            foreach (var article in articles)
            {
                xml.WriteStartElement("url", SitemapNamespace);
                xml.WriteElementString("loc", SitemapNamespace, site.ArticleUrl(article.Slug));
                xml.WriteElementString("lastmod", SitemapNamespace, W3C(article.PublishedAt > article.UpdatedAt ? article.PublishedAt!.Value : article.UpdatedAt));
                xml.WriteEndElement();
            }

            if (articles.Count == 0)
                WriteUrl(xml, FrontPage(site));
            xml.WriteEndElement();
        });
        return (body, await SyndicatedArticles.UnchangedUntilAsync(db, now, cancellationToken));
    }

    /// <summary><c>/sitemap-news.xml</c>: articles published within <paramref name="window"/>, newest first; it changes by itself when the oldest leaves the window.</summary>
    public static async Task<(byte[] Body, DateTime ValidUntil)> MakeNewsAsync(
        ContentDbContext db, SiteOptions site, int items, TimeSpan window, DateTime now, CancellationToken cancellationToken)
    {
        var since = now - window;
        var recent = SyndicatedArticles.Latest(SyndicatedArticles.Visible(db, now).Where(a => a.PublishedAt > since), items);
        var articles = await SyndicatedArticles.ReadAsync(recent, cancellationToken);
        var leavesWindow = articles.Count == 0 ? (DateTime?)null : articles.Min(a => a.PublishedAt) + window;

        // Google lets a news sitemap keep older articles without their news metadata, and says an empty one does no
        // harm; but the sitemaps.org schema refuses a urlset without a url, and validators with it. So a quiet window
        // lists the newest article, as a plain URL, or the front page while nothing is published.
        var newest = articles.Count > 0
            ? null
            : await SyndicatedArticles.Latest(SyndicatedArticles.Visible(db, now), 1)
                .Select(a => a.Slug)
                .FirstOrDefaultAsync(cancellationToken);
        var body = Write(xml =>
        {
            xml.WriteStartElement("urlset", SitemapNamespace);
            xml.WriteAttributeString("xmlns", "news", null, NewsNamespace);
            foreach (var article in articles)
            {
                xml.WriteStartElement("url", SitemapNamespace);
                xml.WriteElementString("loc", SitemapNamespace, site.ArticleUrl(article.Slug));
                xml.WriteStartElement("news", NewsNamespace);
                xml.WriteStartElement("publication", NewsNamespace);
                xml.WriteElementString("name", NewsNamespace, SyndicatedArticles.XmlText(article.PublicationName));
                xml.WriteElementString("language", NewsNamespace, site.Language);
                xml.WriteEndElement();
                xml.WriteElementString("publication_date", NewsNamespace, W3C(article.PublishedAt));
                xml.WriteElementString("title", NewsNamespace, SyndicatedArticles.XmlText(article.Title));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            if (articles.Count == 0)
                WriteUrl(xml, newest is null ? FrontPage(site) : site.ArticleUrl(newest));
            xml.WriteEndElement();
        });
        return (body, await SyndicatedArticles.UnchangedUntilAsync(db, now, cancellationToken, leavesWindow));
    }

    /// <summary>The site's front page: its base URL, ending in '/' as a site's root does.</summary>
    private static string FrontPage(SiteOptions site) => site.BaseUrl.TrimEnd('/') + "/";

    private static void WriteUrl(XmlWriter xml, string location)
    {
        xml.WriteStartElement("url", SitemapNamespace);
        xml.WriteElementString("loc", SitemapNamespace, location);
        xml.WriteEndElement();
    }

    private static byte[] Write(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            write(xml);
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private static string W3C(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
