using System.Net;
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
    private const string Errors = "errors { __typename ... on Error { message } ... on ValidationError { path } ... on SlugTakenError { slug } }";

    private const string CreateArticle = $$"""
        mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug title } {{Errors}} } }
        """;

    private const string CreateTag = $$"""
        mutation ($input: CreateTagInput!) { createTag(input: $input) { tag { id slug name } {{Errors}} } }
        """;

    private const string CreateAuthor = $$"""
        mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id slug name } {{Errors}} } }
        """;

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

        var created = (await editor.QueryAsync(CreateArticle, new { input = new { title, standfirst = "S.", body = "B." } }))["createArticle"]!;

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

        var created = (await editor.QueryAsync(CreateTag, new { input = new { name } }))["createTag"]!;

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

        var created = (await editor.QueryAsync(CreateAuthor, new { input = new { name } }))["createAuthor"]!;

        Assert.Null(created["errors"]);
        Assert.Equal((slug, name), (created["author"]!["slug"].Text(), created["author"]!["name"].Text()));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_title_each_get_a_slug_of_their_own()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            editor.QueryAsync(CreateArticle, new { input = new { title = "Everyone files the same story", standfirst = "S.", body = "B." } })));
        var tags = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => editor.QueryAsync(CreateTag, new { input = new { name = "Same tag" } })));
        var authors = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => editor.QueryAsync(CreateAuthor, new { input = new { name = "Same Name" } })));

        Assert.All(created, c => Assert.Null(c["createArticle"]!["errors"]));
        Assert.Equal(["everyone-files-the-same-story", .. Enumerable.Range(2, 7).Select(n => $"everyone-files-the-same-story-{n}")],
            created.Select(c => c["createArticle"]!["article"]!["slug"].Text()).Order(StringComparer.Ordinal));
        Assert.Equal(["same-tag", .. Enumerable.Range(2, 5).Select(n => $"same-tag-{n}")],
            tags.Select(c => c["createTag"]!["tag"]!["slug"].Text()).Order(StringComparer.Ordinal));
        Assert.Equal(["same-name", .. Enumerable.Range(2, 5).Select(n => $"same-name-{n}")],
            authors.Select(c => c["createAuthor"]!["author"]!["slug"].Text()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_300_character_headline_gets_a_slug_cut_at_a_word_boundary_to_the_limit()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var words = Enumerable.Range(1, 100).Select(n => $"Word{n:000}").ToList();
        var title = string.Join(' ', words)[..300];

        var first = (await editor.QueryAsync(CreateArticle, new { input = new { title, standfirst = "S.", body = "B." } }))["createArticle"]!;
        var second = (await editor.QueryAsync(CreateArticle, new { input = new { title, standfirst = "S.", body = "B." } }))["createArticle"]!;

        // Each word is 7 characters and a hyphen: 25 words make 199 characters.
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
        await editor.QueryAsync(CreateArticle, new { input = new { title = "Own slug", slug = "own-slug", standfirst = "S.", body = "B." } });

        var malformed = (await editor.QueryAsync(CreateArticle, new { input = new { title = "Київ", slug = "Київ", standfirst = "S.", body = "B." } }))["createArticle"]!;
        var taken = (await editor.QueryAsync(CreateArticle, new { input = new { title = "Other", slug = "own-slug", standfirst = "S.", body = "B." } }))["createArticle"]!;
        var tag = (await editor.QueryAsync(CreateTag, new { input = new { name = "Україна", slug = "Україна" } }))["createTag"]!;

        Assert.Equal(("ValidationError", "slug"), (malformed["errors"]![0]!["__typename"].Text(), malformed["errors"]![0]!["path"].Text()));
        Assert.Equal(("SlugTakenError", "own-slug"), (taken["errors"]![0]!["__typename"].Text(), taken["errors"]![0]!["slug"].Text()));
        Assert.Equal(("ValidationError", "slug"), (tag["errors"]![0]!["__typename"].Text(), tag["errors"]![0]!["path"].Text()));
    }

    [Fact]
    public async Task A_slug_in_another_case_leads_to_the_lowercase_one_as_a_redirect()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var id = (await editor.QueryAsync(CreateArticle, new { input = new { title = "Peace talks", standfirst = "S.", body = "B." } }))["createArticle"]!["article"]!["id"].Text();
        await editor.QueryAsync("mutation ($id: ID!) { publishArticle(input: { id: $id, expectedVersion: 1 }) { errors { __typename } } }", new { id });
        var tagId = (await editor.QueryAsync(CreateTag, new { input = new { name = "Peace talks" } }))["createTag"]!["tag"]!["id"].Text();
        await editor.QueryAsync("mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { errors { __typename } } }",
            new { input = new { id, expectedVersion = 2, tagIds = new[] { tagId } } });
        await editor.QueryAsync(CreateAuthor, new { input = new { name = "Peace Talks" } });

        var article = await reader.QueryAsync("""{ article(slug: "Peace-Talks") { slug } }""");
        var resolved = await reader.QueryAsync("""{ resolveSlug(slug: "PEACE-TALKS") { canonicalSlug isRedirect } tags(first: 1) { totalCount } }""");
        var exact = await reader.QueryAsync("""{ resolveSlug(slug: "peace-talks") { canonicalSlug isRedirect } }""");
        var tag = await reader.QueryAsync("""{ tag(slug: "Peace-Talks") { slug } }""");
        var author = await reader.QueryAsync("""{ author(slug: "Peace-TALKS") { slug } }""");
        using var noRedirects = api.Server.CreateClient();
        var feed = await noRedirects.GetAsync("/feeds/tags/Peace-Talks/rss.xml");

        Assert.Equal("peace-talks", article["article"]!["slug"].Text());
        Assert.Equal(("peace-talks", true), (resolved["resolveSlug"]!["canonicalSlug"].Text(), resolved["resolveSlug"]!["isRedirect"]!.GetValue<bool>()));
        Assert.False(exact["resolveSlug"]!["isRedirect"]!.GetValue<bool>());
        Assert.Equal("peace-talks", tag["tag"]!["slug"].Text());
        Assert.Equal("peace-talks", author["author"]!["slug"].Text());
        Assert.Equal(HttpStatusCode.MovedPermanently, feed.StatusCode);
        Assert.Equal("/feeds/tags/peace-talks/rss.xml", feed.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/feeds/tags/peace-talks/rss.xml")).StatusCode);
    }

    [Fact]
    public async Task An_author_keeps_their_old_slug_which_no_other_author_takes_while_it_leads_to_them()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        const string update = $$"""
            mutation ($input: UpdateAuthorInput!) { updateAuthor(input: $input) { author { slug } {{Errors}} } }
            """;
        var id = (await editor.QueryAsync(CreateAuthor, new { input = new { name = "Olena Kovalenko" } }))["createAuthor"]!["author"]!["id"].Text();

        var moved = (await editor.QueryAsync(update, new { input = new { id, slug = "olena-kovalenko-kyiv" } }))["updateAuthor"]!;
        var byOldSlug = await reader.QueryAsync("""{ author(slug: "olena-kovalenko") { slug name } }""");
        var takenByHand = (await editor.QueryAsync(CreateAuthor, new { input = new { name = "Another Olena", slug = "olena-kovalenko" } }))["createAuthor"]!;
        var derived = (await editor.QueryAsync(CreateAuthor, new { input = new { name = "Олена Коваленко" } }))["createAuthor"]!;

        Assert.Equal("olena-kovalenko-kyiv", moved["author"]!["slug"].Text());
        Assert.Equal(("olena-kovalenko-kyiv", "Olena Kovalenko"), (byOldSlug["author"]!["slug"].Text(), byOldSlug["author"]!["name"].Text()));
        Assert.Equal(("SlugTakenError", "olena-kovalenko"), (takenByHand["errors"]![0]!["__typename"].Text(), takenByHand["errors"]![0]!["slug"].Text()));
        Assert.Contains("still redirects readers there", takenByHand["errors"]![0]!["message"].Text());
        Assert.Equal("olena-kovalenko-2", derived["author"]!["slug"].Text());

        var back = (await editor.QueryAsync(update, new { input = new { id, slug = "olena-kovalenko" } }))["updateAuthor"]!;
        Assert.Null(back["errors"]);
        Assert.Equal("olena-kovalenko", (await reader.QueryAsync("""{ author(slug: "olena-kovalenko-kyiv") { slug } }"""))["author"]!["slug"].Text());
        await using var db = api.CreateDbContext();
        Assert.Equal(["olena-kovalenko-kyiv"], await db.AuthorSlugHistory.Where(h => h.Slug.StartsWith("olena")).Select(h => h.Slug).ToListAsync());
    }

    [Fact]
    public async Task A_tags_old_slug_is_not_taken_by_another_tag_while_it_leads_to_it()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var id = (await editor.QueryAsync(CreateTag, new { input = new { name = "Energy" } }))["createTag"]!["tag"]!["id"].Text();
        await editor.QueryAsync("mutation ($id: ID!) { renameTag(input: { id: $id, slug: \"energy-prices\" }) { errors { __typename } } }", new { id });

        var byHand = (await editor.QueryAsync(CreateTag, new { input = new { name = "Energy again", slug = "energy" } }))["createTag"]!;
        var derived = (await editor.QueryAsync(CreateTag, new { input = new { name = "Energy" } }))["createTag"]!;

        Assert.Equal(("SlugTakenError", "energy"), (byHand["errors"]![0]!["__typename"].Text(), byHand["errors"]![0]!["slug"].Text()));
        Assert.Contains("another tag's", byHand["errors"]![0]!["message"].Text());
        Assert.Equal("energy-2", derived["tag"]!["slug"].Text());
        Assert.Equal("energy-prices", (await reader.QueryAsync("""{ tag(slug: "energy") { slug } }"""))["tag"]!["slug"].Text());
    }

    [Fact]
    public async Task The_importer_derives_slugs_by_the_same_rule_and_never_changes_an_existing_one_by_itself()
    {
        var folder = Directory.CreateTempSubdirectory("t4k3news-derived-slugs-").FullName;
        try
        {
            var seed = File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, "001_baltic_ferry_strike.txt"));
            const string seedTitle = "Baltic ferry crews strike over new rota rules";
            File.WriteAllText(Path.Combine(folder, "001_kyiv.txt"), seed.Replace(seedTitle, "Київ відновлює електромережу"));
            File.WriteAllText(Path.Combine(folder, "002_kyiv.txt"), seed.Replace(seedTitle, "Київ відновлює електромережу"));

            var report = await api.CreateImporter().ImportFolderAsync(folder, default);

            Assert.Equal(
                [("001_kyiv.txt", ImportOutcome.Created, "kyiv-vidnovliuie-elektromerezhu"), ("002_kyiv.txt", ImportOutcome.Created, "kyiv-vidnovliuie-elektromerezhu-2")],
                report.Documents.Select(d => (d.File, d.Outcome, d.Slug)));

            // An article whose slug an older rule made keeps it when its document changes but its title does not.
            await using (var db = api.CreateDbContext())
                await db.Articles.Where(a => a.SourceFile == "001_kyiv.txt").ExecuteUpdateAsync(set => set.SetProperty(a => a.Slug, "kyiv"));
            File.WriteAllText(Path.Combine(folder, "001_kyiv.txt"), seed.Replace(seedTitle, "Київ відновлює електромережу").Replace("Tallinn", "Riga"));

            var again = await api.CreateImporter().ImportFolderAsync(folder, default);

            Assert.Equal((ImportOutcome.Updated, "kyiv"), again.Documents.Where(d => d.File == "001_kyiv.txt").Select(d => (d.Outcome, d.Slug)).Single());
            await using var check = api.CreateDbContext();
            Assert.Equal("kyiv", await check.Articles.Where(a => a.SourceFile == "001_kyiv.txt").Select(a => a.Slug).SingleAsync());
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
            articles.Add((await editor.QueryAsync("mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { slug } } }",
                new { input = new { title, standfirst = "S.", body = "B." } }))["createArticle"]!["article"]!["slug"].Text());
        var tags = new List<string?>();
        foreach (var name in new[] { "Kyiv", "Київ", "✈️", "✈️" })
            tags.Add((await editor.QueryAsync("mutation ($name: String!) { createTag(input: { name: $name }) { tag { slug } } }", new { name }))["createTag"]!["tag"]!["slug"].Text());
        var authors = new List<string?>();
        foreach (var name in new[] { "Jürgen Müller", "Jurgen Muller", "⭐", "Author" })
            authors.Add((await editor.QueryAsync("mutation ($name: String!) { createAuthor(input: { name: $name }) { author { slug } } }", new { name }))["createAuthor"]!["author"]!["slug"].Text());

        Assert.Equal(["budget-passes", "budget-passes-2", "budget-passes-3", "article-1", "article-2", "article"], articles);
        Assert.Equal(["kyiv", "kyiv-2", "tag-1", "tag-2"], tags);
        Assert.Equal(["jurgen-muller", "jurgen-muller-2", "author-1", "author"], authors);
    }
}
