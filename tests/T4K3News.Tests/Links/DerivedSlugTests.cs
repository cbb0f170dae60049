using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Content.Import;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

/// <summary>
/// A slug derived from a title or a name, in any script, is readable ASCII, fits its limit and is free: deriving one is
/// never an error. An editor's own slug is checked as ever. Slugs are lowercase: another case of one redirects to it.
/// </summary>
public sealed class DerivedSlugTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Theory]
    [InlineData("Зеленський закликає до нових мирних переговорів", "zelenskyi-zaklykaie-do-novykh-myrnykh-perehovoriv")]
    [InlineData("Αθήνα: νέα μέτρα για τη στέγαση", "athina-nea-metra-gia-ti-stegasi")]
    [InlineData("北京欢迎你", "bei-jing-huan-ying-ni")]
    [InlineData("القاهرة تستضيف قمة السلام", "lqhrh-tstdyf-qmh-lslm")]
    [InlineData("Ünïcödé café naïve — São Paulo", "unicode-cafe-naive-sao-paulo")]
    [InlineData("Düsseldorfer Straßenbahn", "dusseldorfer-strassenbahn")]
    [InlineData("Łódź", "lodz")]
    [InlineData("İstanbul'da seçim sonuçları", "istanbulda-secim-sonuclari")]
    [InlineData("Ça va? L'été à Montréal", "ca-va-lete-a-montreal")]
    public async Task An_article_titled_in_any_script_gets_a_readable_ascii_slug(string title, string slug)
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await Slugs.CreateArticleAsync(editor, Slugs.Draft(title));

        Assert.Null(created["errors"]);
        Assert.Equal((slug, title), (created["article"]!["slug"].Text(), created["article"]!["title"].Text()));
        var found = await editor.QueryAsync("query ($slug: String!) { article(slug: $slug) { title } }", new { slug });
        Assert.Equal(title, found["article"]!["title"].Text());
    }

    [Theory]
    [InlineData("Україна", "ukraina")]
    [InlineData("Ελλάδα", "ellada")]
    [InlineData("北京", "bei-jing")]
    [InlineData("القاهرة", "lqhrh")]
    [InlineData("São Paulo", "sao-paulo")]
    public async Task A_tag_named_in_any_script_gets_a_readable_ascii_slug(string name, string slug)
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await Slugs.CreateTagAsync(editor, new { name });

        Assert.Null(created["errors"]);
        Assert.Equal((slug, name), (created["tag"]!["slug"].Text(), created["tag"]!["name"].Text()));
    }

    [Theory]
    [InlineData("Україна Author", "ukraina-author")]
    [InlineData("Ірина Ґалаган", "iryna-galahan")]
    [InlineData("Jürgen Müller", "jurgen-muller")]
    [InlineData("李明", "li-ming")]
    [InlineData("Νίκος Παπαδόπουλος", "nikos-papadopoulos")]
    public async Task An_author_named_in_any_script_gets_a_readable_ascii_slug(string name, string slug)
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await Slugs.CreateAuthorAsync(editor, new { name });

        Assert.Null(created["errors"]);
        Assert.Equal((slug, name), (created["author"]!["slug"].Text(), created["author"]!["name"].Text()));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_title_each_get_a_slug_of_their_own()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var story = new { title = "Everyone files the same story", standfirst = "S.", body = "B." };

        var articles = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Slugs.CreateArticleAsync(editor, story)));
        var tags = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => Slugs.CreateTagAsync(editor, new { name = "Same tag" })));
        var authors = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => Slugs.CreateAuthorAsync(editor, new { name = "Same Name" })));

        Assert.All(articles.Concat(tags).Concat(authors), created => Assert.Null(created["errors"]));
        Assert.Equal(Numbered("everyone-files-the-same-story", 8), SlugsOf(articles, "article"));
        Assert.Equal(Numbered("same-tag", 6), SlugsOf(tags, "tag"));
        Assert.Equal(Numbered("same-name", 6), SlugsOf(authors, "author"));

        static List<string?> Numbered(string slug, int count) =>
            [slug, .. Enumerable.Range(2, count - 1).Select(n => $"{slug}-{n}")];
        static List<string?> SlugsOf(JsonNode[] payloads, string field) =>
            payloads.Select(p => p[field]!["slug"].Text()).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task A_300_character_headline_gets_a_slug_cut_at_a_word_boundary_to_the_limit()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var words = Enumerable.Range(1, 100).Select(n => $"Word{n:000}").ToList();
        var title = string.Join(' ', words)[..300];

        var first = await Slugs.CreateArticleAsync(editor, Slugs.Draft(title));
        var second = await Slugs.CreateArticleAsync(editor, Slugs.Draft(title));

        // Each word is 7 characters and a hyphen: 25 words make 199 characters; with "-2", 24 words fit.
        var cut = string.Join('-', words.Take(25)).ToLowerInvariant();
        Assert.Null(first["errors"]);
        Assert.Equal((199, cut), (first["article"]!["slug"].Text()!.Length, first["article"]!["slug"].Text()));
        Assert.Equal(string.Join('-', words.Take(24)).ToLowerInvariant() + "-2", second["article"]!["slug"].Text());
        Assert.Equal(title, first["article"]!["title"].Text());
    }

    [Fact]
    public async Task An_editors_own_slug_is_still_checked_and_a_taken_one_is_refused()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await Slugs.CreateArticleAsync(editor, Slugs.Draft("Own slug", "own-slug"));

        var malformed = await Slugs.CreateArticleAsync(editor, Slugs.Draft("Київ", "Київ"));
        var taken = await Slugs.CreateArticleAsync(editor, Slugs.Draft("Other", "own-slug"));
        var tag = await Slugs.CreateTagAsync(editor, new { name = "Україна", slug = "Україна" });

        Assert.Equal(("ValidationError", "slug"), Slugs.Error(malformed));
        Assert.Equal(("SlugTakenError", "own-slug"), Slugs.Error(taken));
        Assert.Equal(("ValidationError", "slug"), Slugs.Error(tag));
    }

    [Fact]
    public async Task A_slug_in_another_case_leads_to_the_lowercase_one_as_a_redirect()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var id = (await Slugs.CreateArticleAsync(editor, Slugs.Draft("Peace talks")))["article"]!["id"].Text();
        var tagId = (await Slugs.CreateTagAsync(editor, new { name = "Peace talks" }))["tag"]!["id"].Text();
        await editor.QueryAsync("""
            mutation ($id: ID!, $tagId: ID!) {
              updateArticle(input: { id: $id, expectedVersion: 1, tagIds: [$tagId] }) { errors { __typename } }
              publishArticle(input: { id: $id, expectedVersion: 2 }) { errors { __typename } }
            }
            """, new { id, tagId });
        await Slugs.CreateAuthorAsync(editor, new { name = "Peace Talks" });

        var article = await reader.QueryAsync("""{ article(slug: "Peace-Talks") { slug } }""");
        var resolved = await reader.QueryAsync("""{ resolveSlug(slug: "PEACE-TALKS") { canonicalSlug isRedirect } }""");
        var exact = await reader.QueryAsync("""{ resolveSlug(slug: "peace-talks") { canonicalSlug isRedirect } }""");
        var tag = await reader.QueryAsync("""{ tag(slug: "Peace-Talks") { slug } }""");
        var author = await reader.QueryAsync("""{ author(slug: "Peace-TALKS") { slug } }""");
        using var noRedirects = api.Server.CreateClient();
        var feed = await noRedirects.GetAsync("/feeds/tags/Peace-Talks/rss.xml");

        Assert.Equal("peace-talks", article["article"]!["slug"].Text());
        Assert.Equal(("peace-talks", true), Redirect(resolved));
        Assert.Equal(("peace-talks", false), Redirect(exact));
        Assert.Equal(("peace-talks", "peace-talks"), (tag["tag"]!["slug"].Text(), author["author"]!["slug"].Text()));
        Assert.Equal(HttpStatusCode.MovedPermanently, feed.StatusCode);
        Assert.Equal("/feeds/tags/peace-talks/rss.xml", feed.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/feeds/tags/peace-talks/rss.xml")).StatusCode);

        static (string?, bool) Redirect(JsonNode data) =>
            (data["resolveSlug"]!["canonicalSlug"].Text(), data["resolveSlug"]!["isRedirect"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_author_keeps_their_old_slug_which_no_other_author_takes_while_it_leads_to_them()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        const string update = $$"""
            mutation ($input: UpdateAuthorInput!) { updateAuthor(input: $input) { author { slug } {{Slugs.Errors}} } }
            """;
        var id = (await Slugs.CreateAuthorAsync(editor, new { name = "Olena Kovalenko" }))["author"]!["id"].Text();

        var moved = (await editor.QueryAsync(update, new { input = new { id, slug = "olena-kovalenko-kyiv" } }))
            ["updateAuthor"]!;
        var byOldSlug = await reader.QueryAsync("""{ author(slug: "olena-kovalenko") { slug name } }""");
        var byHand = await Slugs.CreateAuthorAsync(editor, new { name = "Another Olena", slug = "olena-kovalenko" });
        var derived = await Slugs.CreateAuthorAsync(editor, new { name = "Олена Коваленко" });

        Assert.Equal("olena-kovalenko-kyiv", moved["author"]!["slug"].Text());
        var leadsTo = byOldSlug["author"]!;
        Assert.Equal(("olena-kovalenko-kyiv", "Olena Kovalenko"), (leadsTo["slug"].Text(), leadsTo["name"].Text()));
        Assert.Equal(("SlugTakenError", "olena-kovalenko"), Slugs.Error(byHand));
        Assert.Contains("was another author's until it was renamed", byHand["errors"]![0]!["message"].Text());
        Assert.Equal("olena-kovalenko-2", derived["author"]!["slug"].Text());

        var back = (await editor.QueryAsync(update, new { input = new { id, slug = "olena-kovalenko" } }))
            ["updateAuthor"]!;
        var byNewerSlug = await reader.QueryAsync("""{ author(slug: "olena-kovalenko-kyiv") { slug } }""");

        Assert.Null(back["errors"]);
        Assert.Equal("olena-kovalenko", byNewerSlug["author"]!["slug"].Text());
        await using var db = api.CreateDbContext();
        var history = await db.AuthorSlugHistory.Where(h => h.Slug.StartsWith("olena"))
            .Select(h => h.Slug).ToListAsync();
        Assert.Equal(["olena-kovalenko-kyiv"], history);
    }

    [Fact]
    public async Task A_tags_old_slug_is_not_taken_by_another_tag_while_it_leads_to_it()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var id = (await Slugs.CreateTagAsync(editor, new { name = "Energy" }))["tag"]!["id"].Text();
        await editor.QueryAsync("""
            mutation ($id: ID!) { renameTag(input: { id: $id, slug: "energy-prices" }) { errors { __typename } } }
            """, new { id });

        var byHand = await Slugs.CreateTagAsync(editor, new { name = "Energy again", slug = "energy" });
        var derived = await Slugs.CreateTagAsync(editor, new { name = "Energy" });

        Assert.Equal(("SlugTakenError", "energy"), Slugs.Error(byHand));
        Assert.Contains("was another tag's until it was renamed", byHand["errors"]![0]!["message"].Text());
        Assert.Equal("energy-2", derived["tag"]!["slug"].Text());
        var byOldSlug = await reader.QueryAsync("""{ tag(slug: "energy") { slug } }""");
        Assert.Equal("energy-prices", byOldSlug["tag"]!["slug"].Text());
    }

    [Fact]
    public async Task The_importer_derives_slugs_by_the_same_rule_and_never_changes_an_existing_one_by_itself()
    {
        var folder = Directory.CreateTempSubdirectory("t4k3news-derived-slugs-").FullName;
        try
        {
            const string seedTitle = "Baltic ferry crews strike over new rota rules";
            var seed = File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, "001_baltic_ferry_strike.txt"))
                .Replace(seedTitle, "Київ відновлює електромережу");
            File.WriteAllText(Path.Combine(folder, "001_kyiv.txt"), seed);
            File.WriteAllText(Path.Combine(folder, "002_kyiv.txt"), seed);

            var report = await api.CreateImporter().ImportFolderAsync(folder, default);

            Assert.Equal(
                [("001_kyiv.txt", ImportOutcome.Created, "kyiv-vidnovliuie-elektromerezhu"),
                 ("002_kyiv.txt", ImportOutcome.Created, "kyiv-vidnovliuie-elektromerezhu-2")],
                report.Documents.Select(d => (d.File, d.Outcome, d.Slug)));

            // An article whose slug an older rule made keeps it when its document changes but its title does not.
            await using (var db = api.CreateDbContext())
                await db.Articles.Where(a => a.SourceFile == "001_kyiv.txt")
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.Slug, "kyiv"));
            File.WriteAllText(Path.Combine(folder, "001_kyiv.txt"), seed.Replace("Tallinn", "Riga"));

            var again = await api.CreateImporter().ImportFolderAsync(folder, default);

            var updated = again.Documents.Single(d => d.File == "001_kyiv.txt");
            Assert.Equal((ImportOutcome.Updated, "kyiv"), (updated.Outcome, updated.Slug));
            await using var check = api.CreateDbContext();
            var slug = await check.Articles.Where(a => a.SourceFile == "001_kyiv.txt")
                .Select(a => a.Slug).SingleAsync();
            Assert.Equal("kyiv", slug);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>Numbered slugs, in a newsroom of their own so that the numbers are known.</summary>
public sealed class NumberedSlugTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Fact]
    public async Task Equal_titles_and_names_get_numbered_slugs_and_one_with_nothing_to_read_gets_the_next_free_number()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var articles = new List<string?>();
        foreach (var title in new[] { "Budget passes", "Budget passes", "Budget  passes!", "🌧️", "☔ ★", "Article" })
            articles.Add((await Slugs.CreateArticleAsync(editor, Slugs.Draft(title)))["article"]!["slug"].Text());
        var tags = new List<string?>();
        foreach (var name in new[] { "Kyiv", "Київ", "✈️", "✈️" })
            tags.Add((await Slugs.CreateTagAsync(editor, new { name }))["tag"]!["slug"].Text());
        var authors = new List<string?>();
        foreach (var name in new[] { "Jürgen Müller", "Jurgen Muller", "⭐", "Author" })
            authors.Add((await Slugs.CreateAuthorAsync(editor, new { name }))["author"]!["slug"].Text());

        Assert.Equal(
            ["budget-passes", "budget-passes-2", "budget-passes-3", "article-1", "article-2", "article"], articles);
        Assert.Equal(["kyiv", "kyiv-2", "tag-1", "tag-2"], tags);
        Assert.Equal(["jurgen-muller", "jurgen-muller-2", "author-1", "author"], authors);
    }
}

/// <summary>Creating articles, tags and authors with or without a slug; each answers its payload.</summary>
internal static class Slugs
{
    public const string Errors =
        "errors { __typename ... on Error { message } ... on ValidationError { path } ... on SlugTakenError { slug } }";

    public static async Task<JsonNode> CreateArticleAsync(GraphQLClient editor, object input) =>
        (await editor.QueryAsync($$"""
            mutation ($input: CreateArticleInput!) {
              createArticle(input: $input) { article { id slug title } {{Errors}} }
            }
            """, new { input }))["createArticle"]!;

    public static async Task<JsonNode> CreateTagAsync(GraphQLClient editor, object input) =>
        (await editor.QueryAsync($$"""
            mutation ($input: CreateTagInput!) { createTag(input: $input) { tag { id slug name } {{Errors}} } }
            """, new { input }))["createTag"]!;

    public static async Task<JsonNode> CreateAuthorAsync(GraphQLClient editor, object input) =>
        (await editor.QueryAsync($$"""
            mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id slug name } {{Errors}} } }
            """, new { input }))["createAuthor"]!;

    /// <summary>A draft with this title (and slug, when given).</summary>
    public static object Draft(string title, string? slug = null) =>
        new { title, slug, standfirst = "S.", body = "B." };

    /// <summary>The payload's first error: its type, and the slug it names or the path it refuses.</summary>
    public static (string?, string?) Error(JsonNode payload)
    {
        var error = payload["errors"]![0]!;
        return (error["__typename"].Text(), error["slug"]?.Text() ?? error["path"].Text());
    }
}
