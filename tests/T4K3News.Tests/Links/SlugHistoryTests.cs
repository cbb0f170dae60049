using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Content.Import;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

public sealed class SlugHistoryTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private const string Resolve = "query ($slug: String!) { resolveSlug(slug: $slug) { canonicalSlug isRedirect article { slug title } } }";

    // The read engine plans a query of article(slug:) alone; a second root field it does not plan sends the whole
    // operation through GraphQL.NET's resolvers.
    private const string Planned = "query ($slug: String!) { article(slug: $slug) { slug title } }";
    private const string Resolved = "query ($slug: String!) { article(slug: $slug) { slug title } tags(first: 1) { totalCount } }";

    private const string Update = """
        mutation ($input: UpdateArticleInput!) {
          updateArticle(input: $input) { article { slug version } errors { __typename ... on Error { message } ... on SlugTakenError { slug } } }
        }
        """;

    private const string Create = """
        mutation ($input: CreateArticleInput!) {
          createArticle(input: $input) { article { id slug version } errors { __typename ... on Error { message } ... on SlugTakenError { slug } } }
        }
        """;

    [Fact]
    public async Task A_renamed_article_answers_its_old_slug_as_a_redirect_to_the_canonical_one()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var (id, version) = await PublishAsync(editor, "Ferry strike ends", "ferry-strike-ends");
        Assert.Equal("ferry-strike-ends", (await reader.QueryAsync(Planned, new { slug = "ferry-strike-ends" }))["article"]!["slug"].Text());

        var renamed = await editor.QueryAsync(Update, new { input = new { id, expectedVersion = version, slug = "baltic-ferry-strike-ends", title = "Baltic ferry strike ends" } });

        Assert.Equal("baltic-ferry-strike-ends", renamed["updateArticle"]!["article"]!["slug"].Text());
        foreach (var query in new[] { Planned, Resolved })
        {
            var old = await reader.QueryAsync(query, new { slug = "ferry-strike-ends" });
            Assert.Equal(("baltic-ferry-strike-ends", "Baltic ferry strike ends"), (old["article"]!["slug"].Text(), old["article"]!["title"].Text()));
        }

        // The read engine answers an old slug in its one statement, as it does a slug now.
        api.Statements.Reset();
        var planned = await reader.QueryAsync("query Once($slug: String!) { article(slug: $slug) { slug } }", new { slug = "ferry-strike-ends" });
        Assert.Equal(("baltic-ferry-strike-ends", 1), (planned["article"]!["slug"].Text(), api.Statements.Count));

        var redirect = (await reader.QueryAsync(Resolve, new { slug = "ferry-strike-ends" }))["resolveSlug"]!;
        Assert.Equal(("baltic-ferry-strike-ends", true, "baltic-ferry-strike-ends"),
            (redirect["canonicalSlug"].Text(), redirect["isRedirect"]!.GetValue<bool>(), redirect["article"]!["slug"].Text()));
        var canonical = (await reader.QueryAsync(Resolve, new { slug = "baltic-ferry-strike-ends" }))["resolveSlug"]!;
        Assert.Equal(("baltic-ferry-strike-ends", false), (canonical["canonicalSlug"].Text(), canonical["isRedirect"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Resolving_a_slug_nobody_may_see_or_nobody_had_answers_null_to_readers()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var draft = await CreateAsync(editor, "Draft only story", "draft-only-story");
        await editor.QueryAsync(Update, new { input = new { id = draft["id"].Text(), expectedVersion = 1, slug = "draft-only-story-renamed" } });

        Assert.Null((await reader.QueryAsync(Resolve, new { slug = "never-was-a-slug" }))["resolveSlug"]);
        Assert.Null((await reader.QueryAsync(Resolve, new { slug = "draft-only-story" }))["resolveSlug"]);
        Assert.Null((await reader.QueryAsync(Resolve, new { slug = "draft-only-story-renamed" }))["resolveSlug"]);
        Assert.Null((await reader.QueryAsync(Planned, new { slug = "draft-only-story" }))["article"]);
        var forEditors = (await editor.QueryAsync(Resolve, new { slug = "draft-only-story" }))["resolveSlug"]!;
        Assert.Equal(("draft-only-story-renamed", true), (forEditors["canonicalSlug"].Text(), forEditors["isRedirect"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_slug_freed_by_a_rename_stays_the_articles_until_it_is_deleted_and_the_article_may_take_it_back()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);
        var reader = api.CreateGraphQLClient();
        var (id, version) = await PublishAsync(editor, "Rates held", "rates-held");
        var other = await CreateAsync(editor, "Another story", "another-story");
        var renamed = await editor.QueryAsync(Update, new { input = new { id, expectedVersion = version, slug = "central-bank-holds-rates" } });
        version = renamed["updateArticle"]!["article"]!["version"]!.GetValue<int>();

        var created = await editor.QueryAsync(Create, new { input = new { title = "Rates held again", slug = "rates-held", standfirst = "S.", body = "B." } });
        var updated = await editor.QueryAsync(Update, new { input = new { id = other["id"].Text(), expectedVersion = 1, slug = "rates-held" } });

        foreach (var refused in new[] { created["createArticle"]!, updated["updateArticle"]! })
        {
            Assert.Null(refused["article"]);
            var error = refused["errors"]![0]!;
            Assert.Equal(("SlugTakenError", "rates-held"), (error["__typename"].Text(), error["slug"].Text()));
            Assert.Contains("still redirects readers there", error["message"].Text());
        }

        var back = await editor.QueryAsync(Update, new { input = new { id, expectedVersion = version, slug = "rates-held" } });
        Assert.Null(back["updateArticle"]!["errors"]);
        version = back["updateArticle"]!["article"]!["version"]!.GetValue<int>();
        var resolved = (await reader.QueryAsync(Resolve, new { slug = "rates-held" }))["resolveSlug"]!;
        Assert.Equal(("rates-held", false), (resolved["canonicalSlug"].Text(), resolved["isRedirect"]!.GetValue<bool>()));
        var between = (await reader.QueryAsync(Resolve, new { slug = "central-bank-holds-rates" }))["resolveSlug"]!;
        Assert.Equal(("rates-held", true), (between["canonicalSlug"].Text(), between["isRedirect"]!.GetValue<bool>()));

        var deleted = await admin.QueryAsync(
            "mutation ($input: DeleteArticleInput!) { deleteArticle(input: $input) { errors { __typename } } }", new { input = new { id, expectedVersion = version } });
        Assert.Null(deleted["deleteArticle"]!["errors"]);
        Assert.Null((await reader.QueryAsync(Resolve, new { slug = "central-bank-holds-rates" }))["resolveSlug"]);
        var taken = await editor.QueryAsync(Update, new { input = new { id = other["id"].Text(), expectedVersion = 1, slug = "central-bank-holds-rates" } });
        Assert.Equal("central-bank-holds-rates", taken["updateArticle"]!["article"]!["slug"].Text());
        await using var db = api.CreateDbContext();
        Assert.Empty(await db.ArticleSlugHistory.Where(h => h.Slug == "central-bank-holds-rates" || h.Slug == "rates-held").ToListAsync());
    }

    [Fact]
    public async Task A_reimport_that_renames_an_article_keeps_its_old_slug_and_an_import_never_takes_a_redirecting_slug_but_the_next_free_one()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var reader = api.CreateGraphQLClient();
        var folder = Directory.CreateTempSubdirectory("t4k3news-slugs-").FullName;
        try
        {
            var document = Path.Combine(folder, "001_baltic_ferry_strike.txt");
            File.Copy(Path.Combine(RepositoryPaths.Seeds, "001_baltic_ferry_strike.txt"), document);
            await api.CreateImporter().ImportFolderAsync(folder, default);
            File.WriteAllText(document, File.ReadAllText(document).Replace("Baltic ferry crews strike over new rota rules", "Baltic ferry crews end their strike"));

            var renamed = await api.CreateImporter().ImportFolderAsync(folder, default);

            Assert.Equal(ImportOutcome.Updated, renamed.Documents.Single().Outcome);
            var redirect = (await reader.QueryAsync(Resolve, new { slug = "baltic-ferry-crews-strike-over-new-rota-rules" }))["resolveSlug"]!;
            Assert.Equal(("baltic-ferry-crews-end-their-strike", true), (redirect["canonicalSlug"].Text(), redirect["isRedirect"]!.GetValue<bool>()));

            // An editor's article renamed away from a slug that a new document would take.
            var (id, version) = await PublishAsync(editor, "Grid upgrade", "grid-upgrade-in-kyiv-finished");
            await editor.QueryAsync(Update, new { input = new { id, expectedVersion = version, slug = "grid-upgrade-done" } });
            File.WriteAllText(Path.Combine(folder, "002_grid.txt"),
                File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, "001_baltic_ferry_strike.txt")).Replace("Baltic ferry crews strike over new rota rules", "Grid upgrade in Kyiv finished"));

            var imported = await api.CreateImporter().ImportFolderAsync(folder, default);

            // The importer derives its slugs as editors' drafts do: the slug taken, it takes the next free one.
            var created = imported.Documents.Single(d => d.File == "002_grid.txt");
            Assert.Equal((ImportOutcome.Created, "grid-upgrade-in-kyiv-finished-2"), (created.Outcome, created.Slug));
            Assert.Equal("grid-upgrade-done", (await reader.QueryAsync(Resolve, new { slug = "grid-upgrade-in-kyiv-finished" }))["resolveSlug"]!["canonicalSlug"].Text());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<JsonNode> CreateAsync(GraphQLClient editor, string title, string slug)
    {
        var data = await editor.QueryAsync(Create, new { input = new { title, slug, standfirst = "A standfirst.", body = "A body." } });
        Assert.Null(data["createArticle"]!["errors"]);
        return data["createArticle"]!["article"]!;
    }

    private static async Task<(string Id, int Version)> PublishAsync(GraphQLClient editor, string title, string slug)
    {
        var id = (await CreateAsync(editor, title, slug))["id"].Text()!;
        var published = await editor.QueryAsync(
            "mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { article { version } errors { __typename } } }", new { input = new { id, expectedVersion = 1 } });
        Assert.Null(published["publishArticle"]!["errors"]);
        return (id, published["publishArticle"]!["article"]!["version"]!.GetValue<int>());
    }
}
