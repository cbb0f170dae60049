using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Syndication;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

/// <summary>The newsroom, plus an archived article newer than any, on a site at https://www.t4k3.news, with sitemap pages of 25.</summary>
public sealed class SyndicationNewsroomApi : NewsroomApi
{
    public const int SitemapPageSize = 25;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Site:BaseUrl"] = "https://www.t4k3.news",
        ["Site:Title"] = "T4K3 News",
        ["Site:Language"] = "en-GB",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = CreateDbContext();
        db.Articles.Add(new Article
        {
            PublicationId = (await db.Publications.FirstAsync()).Id,
            Slug = "archived-story", Title = "Archived story", Standfirst = "S.", Body = "B.", Status = ArticleStatus.Archived,
            PublishedAt = FirstDay.AddDays(100), CreatedAt = FirstDay, UpdatedAt = FirstDay, Version = 1,
        });
        await db.SaveChangesAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<SyndicationLimits>(limits => limits.SitemapPageSize = SitemapPageSize));
    }
}

public sealed class FeedAndSitemapTests(SyndicationNewsroomApi api) : IClassFixture<SyndicationNewsroomApi>
{
    private static readonly XNamespace Sitemap = Sitemaps.SitemapNamespace;
    private static readonly XNamespace News = Sitemaps.NewsNamespace;
    private static readonly string[] Invisible = ["Unfinished draft", "Scheduled for the next century", "Archived story"];

    [Theory]
    [InlineData("/feeds/rss.xml", "application/rss+xml; charset=utf-8")]
    [InlineData("/feeds/atom.xml", "application/atom+xml; charset=utf-8")]
    public async Task Rss_and_atom_feeds_hold_the_50_latest_visible_articles_newest_first(string path, string contentType)
    {
        var expected = await LatestVisibleAsync(50);

        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(reader);
        Assert.Equal("T4K3 News", feed.Title.Text);
        Assert.Equal(50, feed.Items.Count());
        Assert.Equal(expected.Select(a => a.Title), feed.Items.Select(i => i.Title.Text));
        Assert.DoesNotContain(feed.Items, item => Invisible.Contains(item.Title.Text));
        var first = feed.Items.First();
        var article = expected[0];
        Assert.Equal($"urn:t4k3news:article:{article.Id}", first.Id);
        Assert.Equal($"https://www.t4k3.news/articles/{article.Slug}", first.Links.Single(l => l.RelationshipType is null or "alternate").Uri.ToString());
        Assert.Equal(article.Standfirst, first.Summary.Text);
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(article.PublishedAt!.Value, DateTimeKind.Utc)), first.PublishDate);
        Assert.Equal(article.ArticleTags.Select(t => t.Tag.Name).Order(), first.Categories.Select(c => c.Name));
    }

    [Fact]
    public async Task The_json_feed_is_json_feed_1_1_with_the_same_items()
    {
        var expected = await LatestVisibleAsync(50);

        var response = await api.CreateClient().GetAsync("/feeds/feed.json");

        Assert.Equal("application/feed+json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var feed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://jsonfeed.org/version/1.1", feed["version"].Text());
        Assert.Equal(("T4K3 News", "https://www.t4k3.news", "en-GB"), (feed["title"].Text(), feed["home_page_url"].Text(), feed["language"].Text()));
        var items = feed["items"]!.AsArray();
        Assert.Equal(expected.Select(a => $"urn:t4k3news:article:{a.Id}"), items.Select(i => i!["id"].Text()));
        var first = items[0]!;
        Assert.Equal(expected[0].Standfirst, first["summary"].Text());
        Assert.Equal(DateTime.SpecifyKind(expected[0].PublishedAt!.Value, DateTimeKind.Utc), first["date_published"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(expected[0].ArticleTags.Select(t => t.Tag.Name).Order(), first["tags"]!.AsArray().Select(t => t.Text()));
    }

    [Fact]
    public async Task A_tags_feeds_hold_its_articles_an_unknown_tag_is_404_and_an_old_slug_redirects()
    {
        var client = api.CreateClient();

        var even = SyndicationFeed.Load(XmlReader.Create(await client.GetStreamAsync("/feeds/tags/even/atom.xml")));
        var json = JsonNode.Parse(await client.GetStringAsync("/feeds/tags/even/feed.json"))!;
        var unknown = await client.GetAsync("/feeds/tags/no-such-tag/rss.xml");

        Assert.Equal("T4K3 News: Even", even.Title.Text);
        Assert.NotEmpty(even.Items);
        Assert.All(even.Items, item => Assert.Contains("Even", item.Categories.Select(c => c.Name)));
        Assert.Equal(even.Items.Select(i => i.Id), json["items"]!.AsArray().Select(i => i!["id"].Text()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var odd = (await editor.QueryAsync("""{ tag(slug: "odd") { id } }"""))["tag"]!["id"].Text();
        await editor.QueryAsync("mutation ($id: ID!) { renameTag(input: { id: $id, slug: \"odd-numbers\" }) { errors { __typename } } }", new { id = odd });
        using var noRedirects = api.Server.CreateClient();
        var moved = await noRedirects.GetAsync("/feeds/tags/odd/rss.xml");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/feeds/tags/odd-numbers/rss.xml", moved.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/feeds/tags/odd-numbers/rss.xml")).StatusCode);
    }

    [Theory]
    [InlineData("/feeds/rss.xml")]
    [InlineData("/feeds/feed.json")]
    [InlineData("/sitemap.xml")]
    [InlineData("/sitemap-news.xml")]
    public async Task Conditional_requests_answer_304_by_etag_or_by_date(string path)
    {
        var client = api.CreateClient();
        var first = await client.GetAsync(path);
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;

        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        var byTag = new HttpRequestMessage(HttpMethod.Get, path);
        byTag.Headers.IfNoneMatch.Add(etag);
        var byDate = new HttpRequestMessage(HttpMethod.Get, path);
        byDate.Headers.IfModifiedSince = lastModified;
        var otherTag = new HttpRequestMessage(HttpMethod.Get, path);
        otherTag.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        otherTag.Headers.IfModifiedSince = lastModified;
        var older = new HttpRequestMessage(HttpMethod.Get, path);
        older.Headers.IfModifiedSince = lastModified.AddSeconds(-1);

        var notModifiedByTag = await client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByTag.StatusCode);
        Assert.Equal(etag, notModifiedByTag.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byDate)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(otherTag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(older)).StatusCode);
    }

    [Fact]
    public async Task An_edit_changes_the_feeds_at_once_and_their_etags_with_them()
    {
        var client = api.CreateClient();
        var before = await client.GetAsync("/feeds/atom.xml");
        var etag = before.Headers.ETag!;
        var newest = (await LatestVisibleAsync(1))[0];
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var id = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"Article:{newest.Id}"));
        var updated = await editor.QueryAsync(
            "mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { errors { __typename } } }",
            new { input = new { id, expectedVersion = newest.Version, title = newest.Title + ", updated" } });

        Assert.Null(updated["updateArticle"]!["errors"]);
        var conditional = new HttpRequestMessage(HttpMethod.Get, "/feeds/atom.xml");
        conditional.Headers.IfNoneMatch.Add(etag);
        var after = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag);
        var feed = SyndicationFeed.Load(XmlReader.Create(await after.Content.ReadAsStreamAsync()));
        Assert.Equal(newest.Title + ", updated", feed.Items.First().Title.Text);
    }

    [Fact]
    public async Task Renaming_a_tag_changes_the_categories_of_the_feeds_at_once()
    {
        var client = api.CreateClient();
        var before = JsonNode.Parse(await client.GetStringAsync("/feeds/feed.json"))!;
        Assert.Contains("World", before["items"]![0]!["tags"]!.AsArray().Select(t => t.Text()));
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var world = (await editor.QueryAsync("""{ tag(slug: "world") { id } }"""))["tag"]!["id"].Text();

        await editor.QueryAsync("mutation ($id: ID!) { renameTag(input: { id: $id, name: \"Planet\" }) { errors { __typename } } }", new { id = world });

        var after = JsonNode.Parse(await client.GetStringAsync("/feeds/feed.json"))!;
        Assert.Contains("Planet", after["items"]![0]!["tags"]!.AsArray().Select(t => t.Text()));
        Assert.DoesNotContain("World", after["items"]![0]!["tags"]!.AsArray().Select(t => t.Text()));
    }

    [Fact]
    public async Task Past_a_page_of_urls_the_sitemap_is_an_index_of_pages_that_list_every_visible_article_once()
    {
        await using var db = api.CreateDbContext();
        var visible = await db.Articles.VisibleToReaders(DateTime.UtcNow).OrderBy(a => a.Id).Select(a => a.Slug).ToListAsync();
        var client = api.CreateClient();

        var index = XDocument.Parse(await client.GetStringAsync("/sitemap.xml"));

        Assert.Equal(Sitemap + "sitemapindex", index.Root!.Name);
        var pages = index.Root.Elements(Sitemap + "sitemap").ToList();
        Assert.Equal((visible.Count + SyndicationNewsroomApi.SitemapPageSize - 1) / SyndicationNewsroomApi.SitemapPageSize, pages.Count);
        Assert.Equal(Enumerable.Range(1, pages.Count).Select(n => $"https://www.t4k3.news/sitemaps/{n}.xml"), pages.Select(p => p.Element(Sitemap + "loc")!.Value));
        var listed = new List<string>();
        foreach (var n in Enumerable.Range(1, pages.Count))
        {
            var page = XDocument.Parse(await client.GetStringAsync($"/sitemaps/{n}.xml"));
            Assert.Equal(Sitemap + "urlset", page.Root!.Name);
            var urls = page.Root.Elements(Sitemap + "url").ToList();
            Assert.InRange(urls.Count, 1, SyndicationNewsroomApi.SitemapPageSize);
            Assert.All(urls, url => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", url.Element(Sitemap + "lastmod")!.Value));
            listed.AddRange(urls.Select(u => u.Element(Sitemap + "loc")!.Value));
        }

        Assert.Equal(visible.Select(slug => $"https://www.t4k3.news/articles/{slug}"), listed);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sitemaps/{pages.Count + 1}.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sitemaps/0.xml")).StatusCode);
    }

    [Fact]
    public async Task The_news_sitemap_lists_what_was_published_in_the_last_48_hours_and_scheduled_articles_join_it_when_due()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var now = api.Clock.GetUtcNow().UtcDateTime;
        await PastPublication.PublishAsync(editor, api.Clock, "Published 47 hours ago", now.AddHours(-47));
        await PastPublication.PublishAsync(editor, api.Clock, "Published 49 hours ago", now.AddHours(-49));
        await PastPublication.PublishAsync(editor, api.Clock, "Due in an hour", now.AddHours(1));
        var client = api.CreateClient();

        var news = XDocument.Parse(await client.GetStringAsync("/sitemap-news.xml"));
        var rss = SyndicationFeed.Load(XmlReader.Create(await client.GetStreamAsync("/feeds/rss.xml")));

        Assert.Equal(Sitemap + "urlset", news.Root!.Name);
        Assert.Equal(News.NamespaceName, news.Root.Attribute(XNamespace.Xmlns + "news")!.Value);
        var url = Assert.Single(news.Root.Elements(Sitemap + "url"));
        Assert.Equal("https://www.t4k3.news/articles/published-47-hours-ago", url.Element(Sitemap + "loc")!.Value);
        var entry = url.Element(News + "news")!;
        Assert.Equal(("T4K3.news", "en-GB"), (entry.Element(News + "publication")!.Element(News + "name")!.Value, entry.Element(News + "publication")!.Element(News + "language")!.Value));
        Assert.Equal("Published 47 hours ago", entry.Element(News + "title")!.Value);
        Assert.Equal(now.AddHours(-47).ToString("yyyy-MM-ddTHH:mm:ssZ"), entry.Element(News + "publication_date")!.Value);
        Assert.DoesNotContain("Due in an hour", rss.Items.Select(i => i.Title.Text));

        api.Clock.Advance(TimeSpan.FromHours(2));
        try
        {
            var later = XDocument.Parse(await client.GetStringAsync("/sitemap-news.xml"));
            var laterRss = SyndicationFeed.Load(XmlReader.Create(await client.GetStreamAsync("/feeds/rss.xml")));

            Assert.Equal(["Due in an hour"], later.Root!.Elements(Sitemap + "url").Select(u => u.Element(News + "news")!.Element(News + "title")!.Value));
            Assert.Equal("Due in an hour", laterRss.Items.First().Title.Text);
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-2));
        }
    }

    private async Task<List<Article>> LatestVisibleAsync(int count)
    {
        await using var db = api.CreateDbContext();
        return await db.Articles.VisibleToReaders(api.Clock.GetUtcNow().UtcDateTime).Include(a => a.ArticleTags).ThenInclude(t => t.Tag)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(count).AsNoTracking().ToListAsync();
    }
}

public sealed class FeedInputTests(SyndicationNewsroomApi api) : IClassFixture<SyndicationNewsroomApi>
{
    [Theory]
    [InlineData("/feeds/tags/%01/rss.xml")]
    [InlineData("/feeds/tags/%ED%A0%80/atom.xml")]
    [InlineData("/feeds/tags/Not%20A%20Slug/feed.json")]
    [InlineData("/sitemaps/-1.xml")]
    [InlineData("/sitemaps/99999999999999999999.xml")]
    [InlineData("/sitemaps/2147483647.xml")]
    public async Task Paths_no_document_has_answer_404_without_harm(string path)
    {
        var client = api.CreateClient();

        var response = await client.GetAsync(path);
        var longSlug = await client.GetAsync($"/feeds/tags/{new string('a', 5000)}/rss.xml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, longSlug.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/feeds/rss.xml")).StatusCode);
    }

    [Fact]
    public async Task Feeds_answer_only_get_and_head()
    {
        var client = api.CreateClient();

        var post = await client.PostAsync("/feeds/rss.xml", new StringContent("x"));
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/sitemap.xml"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Feeds_are_rate_limited_like_the_graphql_endpoint()
    {
        var limits = api.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<T4K3News.Api.Hosting.RateLimitOptions>>().Value;
        var client = api.CreateGraphQLClientFrom(IPAddress.Parse("203.0.113.77")).Http;

        HttpResponseMessage? refused = null;
        for (var i = 0; i <= limits.AnonymousPermitLimit && refused is null; i++)
        {
            var response = await client.GetAsync("/feeds/feed.json");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
        }

        Assert.NotNull(refused);
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}
