using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using T4K3News.Api.Syndication;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

public sealed class SiteContentApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Site:BaseUrl"] = "https://www.t4k3.news/",
        ["Site:ArticlePath"] = "/news/{slug}.html",
        ["Site:Title"] = "T4K3 News",
    };
}

public sealed class ArticleJsonLdTests(SiteContentApi api) : IClassFixture<SiteContentApi>
{
    private const string Title = "\"Night trains\" </script><b>return</b> to Tallinn — ÜBER naïve 🚆";
    private const string Standfirst = "Operators say \"we're back\" & <em>sleepers</em> run again.";

    // A line separator is valid JSON but ends a line in JavaScript: only a caption may hold one (a standfirst is one line).
    private const string Caption = "The first train,\u2028 at dawn";

    /// <summary>Publishes on a fixed day gone by: scheduled for it, as the clock stood shortly before (a past time is refused).</summary>
    private async Task PublishOnTheDayAsync(GraphQLClient editor, string? id)
    {
        var shift = new DateTime(2026, 1, 2, 3, 0, 0, DateTimeKind.Utc) - api.Clock.GetUtcNow().UtcDateTime;
        api.Clock.Advance(shift);
        try
        {
            var published = await editor.QueryAsync("mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { errors { __typename } } }",
                new { input = new { id, expectedVersion = 1, at = "2026-01-02T03:04:05Z" } });
            Assert.Null(published["publishArticle"]!["errors"]);
        }
        finally
        {
            api.Clock.Advance(-shift);
        }
    }

    [Fact]
    public async Task The_json_ld_is_a_news_article_with_every_text_escaped_for_a_script_element_and_the_same_on_every_path()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var tag = (await editor.QueryAsync("""mutation { createTag(input: { name: "Rail <travel>" }) { tag { id } } }"""))["createTag"]!["tag"]!["id"].Text();
        var created = (await editor.QueryAsync(
            "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug } errors { __typename } } }",
            new { input = new { title = Title, slug = "night-trains-return", standfirst = Standfirst, body = "B.", tagIds = new[] { tag }, heroImage = new { altText = "A sleeper car", caption = Caption } } }))["createArticle"]!["article"]!;
        await PublishOnTheDayAsync(editor, created["id"].Text());

        const string planned = """{ article(slug: "night-trains-return") { url jsonLd } }""";
        const string resolved = """{ article(slug: "night-trains-return") { url jsonLd } tags(first: 1) { totalCount } }""";
        var answers = new[]
        {
            (await api.CreateGraphQLClient().QueryAsync(planned))["article"]!,
            (await api.CreateGraphQLClient().QueryAsync(resolved))["article"]!,
            (await editor.QueryAsync(planned))["article"]!,
        };

        var article = answers[0];
        Assert.All(answers, answer => Assert.Equal(article.ToJsonString(), answer.ToJsonString()));
        Assert.Equal("https://www.t4k3.news/news/night-trains-return.html", article["url"].Text());
        var raw = article["jsonLd"].Text()!;
        Assert.DoesNotContain('<', raw);
        Assert.DoesNotContain('>', raw);
        Assert.DoesNotContain("\u2028", raw);
        Assert.Contains("\\u003C/script\\u003E", raw);

        var jsonLd = JsonNode.Parse(raw)!;
        Assert.Equal("https://schema.org", jsonLd["@context"].Text());
        Assert.Equal("NewsArticle", jsonLd["@type"].Text());
        Assert.Equal(Title, jsonLd["headline"].Text());
        Assert.Equal(Standfirst, jsonLd["description"].Text());
        Assert.Equal("2026-01-02T03:04:05Z", jsonLd["datePublished"].Text());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", jsonLd["dateModified"].Text());
        Assert.Equal("https://www.t4k3.news/news/night-trains-return.html", jsonLd["url"].Text());
        Assert.Equal(("WebPage", "https://www.t4k3.news/news/night-trains-return.html"), (jsonLd["mainEntityOfPage"]!["@type"].Text(), jsonLd["mainEntityOfPage"]!["@id"].Text()));
        Assert.Equal(("Organization", "T4K3.news"), (jsonLd["publisher"]!["@type"].Text(), jsonLd["publisher"]!["name"].Text()));
        Assert.Equal(["Rail <travel>"], jsonLd["keywords"]!.AsArray().Select(k => k.Text()));
        Assert.Equal("Rail <travel>", jsonLd["articleSection"].Text());
        Assert.Equal(("ImageObject", Caption, "A sleeper car"),
            (jsonLd["image"]!["@type"].Text(), jsonLd["image"]!["caption"].Text(), jsonLd["image"]!["description"].Text()));
    }

    [Fact]
    public async Task Bylines_and_corrections_are_in_the_json_ld_and_a_correction_raises_date_modified()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var writer = (await editor.QueryAsync("mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } } }",
            new { input = new { name = "Ana \"Quotes\" Writer", url = "https://example.com/ana" } }))["createAuthor"]!["author"]!["id"].Text();
        var lens = (await editor.QueryAsync("mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } } }",
            new { input = new { name = "Lens Person" } }))["createAuthor"]!["author"]!["id"].Text();
        var desk = (await editor.QueryAsync("mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } } }",
            new { input = new { name = "Desk Editor" } }))["createAuthor"]!["author"]!["id"].Text();
        var created = (await editor.QueryAsync(
            "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } errors { __typename } } }",
            new { input = new { title = "Credited story", slug = "credited-story", standfirst = "S.", body = "B.",
                bylines = new object[] { new { authorId = writer }, new { authorId = lens, role = "PHOTOGRAPHER" }, new { authorId = desk, role = "EDITOR" } } } }))["createArticle"]!["article"]!;
        var id = created["id"].Text();
        await PublishOnTheDayAsync(editor, id);
        const string query = """{ article(slug: "credited-story") { jsonLd } }""";
        var before = JsonNode.Parse((await api.CreateGraphQLClient().QueryAsync(query))["article"]!["jsonLd"].Text()!)!;
        Assert.Null(before["correction"]);

        var corrected = await editor.QueryAsync("mutation ($input: AddCorrectionInput!) { addCorrection(input: $input) { article { updatedAt } errors { __typename } } }",
            new { input = new { articleId = id, expectedVersion = 2, kind = "CORRECTION", text = "An earlier version said <b>Monday</b>." } });
        Assert.Null(corrected["addCorrection"]!["errors"]);
        var jsonLd = JsonNode.Parse((await api.CreateGraphQLClient().QueryAsync(query))["article"]!["jsonLd"].Text()!)!;

        Assert.Equal([("Person", "Ana \"Quotes\" Writer", "https://example.com/ana")],
            jsonLd["author"]!.AsArray().Select(p => (p!["@type"].Text(), p["name"].Text(), p["url"].Text())));
        Assert.Equal(["Lens Person"], jsonLd["contributor"]!.AsArray().Select(p => p!["name"].Text()));
        Assert.Equal(["Desk Editor"], jsonLd["editor"]!.AsArray().Select(p => p!["name"].Text()));
        var correction = Assert.Single(jsonLd["correction"]!.AsArray())!;
        Assert.Equal(("CorrectionComment", "An earlier version said <b>Monday</b>."), (correction["@type"].Text(), correction["text"].Text()));
        Assert.Equal(jsonLd["dateModified"].Text(), correction["datePublished"].Text());
        Assert.True(string.CompareOrdinal(jsonLd["dateModified"].Text(), before["dateModified"].Text()) >= 0);
    }

    [Fact]
    public async Task A_seed_article_without_bylines_names_the_publication_as_its_author()
    {
        await api.CreateImporter().ImportFolderAsync(RepositoryPaths.Seeds, default);

        var answer = await api.CreateGraphQLClient().QueryAsync(
            """{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { authors { role } jsonLd } }""");

        Assert.Empty(answer["article"]!["authors"]!.AsArray());
        var jsonLd = JsonNode.Parse(answer["article"]!["jsonLd"].Text()!)!.AsObject();
        var author = Assert.Single(jsonLd["author"]!.AsArray())!;
        Assert.Equal("""{"@type":"Organization","name":"T4K3 News","url":"https://www.t4k3.news/"}""", author.ToJsonString());
        Assert.False(jsonLd.ContainsKey("contributor"));
        Assert.False(jsonLd.ContainsKey("editor"));
    }

    [Fact]
    public async Task An_article_with_several_tags_and_no_image_has_keywords_but_no_section_and_no_image()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var tags = new List<string?>();
        foreach (var name in new[] { "Zeta", "Alpha" })
            tags.Add((await editor.QueryAsync("mutation ($name: String!) { createTag(input: { name: $name }) { tag { id } } }", new { name }))["createTag"]!["tag"]!["id"].Text());
        var draft = (await editor.QueryAsync(
            "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { url jsonLd } } }",
            new { input = new { title = "Two tags", slug = "two-tags", standfirst = "S.", body = "B.", tagIds = tags } }))["createArticle"]!["article"]!;

        var jsonLd = JsonNode.Parse(draft["jsonLd"].Text()!)!.AsObject();
        Assert.Equal("https://www.t4k3.news/news/two-tags.html", draft["url"].Text());
        Assert.Equal(["Alpha", "Zeta"], jsonLd["keywords"]!.AsArray().Select(k => k.Text()));
        Assert.False(jsonLd.ContainsKey("articleSection"));
        Assert.False(jsonLd.ContainsKey("image"));
        Assert.False(jsonLd.ContainsKey("datePublished"));
    }

    [Fact]
    public async Task With_few_articles_the_sitemap_is_one_urlset_of_the_visible_ones()
    {
        var response = await api.CreateClient().GetAsync("/sitemap.xml");

        Assert.Equal("application/xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var sitemap = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = Sitemaps.SitemapNamespace;
        Assert.Equal(ns + "urlset", sitemap.Root!.Name);
        Assert.DoesNotContain("https://www.t4k3.news/news/two-tags.html", sitemap.Root.Elements(ns + "url").Select(u => u.Element(ns + "loc")!.Value));
    }

    [Fact]
    public void Site_settings_are_checked_at_start_up()
    {
        Assert.Empty(SiteOptions.Problems(new SiteOptions()));
        Assert.Equal(4, SiteOptions.Problems(new SiteOptions { BaseUrl = "ftp://x", ArticlePath = "articles/{id}", Title = " ", Language = "english!" }).Count());
        Assert.Single(SiteOptions.Problems(new SiteOptions { ArticlePath = "/a/{slug}/{slug}" }));
        Assert.Single(SiteOptions.Problems(new SiteOptions { BaseUrl = "https://example.com/?q=1" }));
    }
}
