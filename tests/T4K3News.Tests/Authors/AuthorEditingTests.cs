using T4K3News.Content.Auth;
using T4K3News.Tests.Caching;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Authors;

public sealed class AuthorEditingTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private const string Errors = "errors { __typename ... on Error { message } ... on ValidationError { path } ... on SlugTakenError { slug } }";

    private const string CreateAuthor = $$"""
        mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id slug name bio url } {{Errors}} } }
        """;

    private const string UpdateAuthor = $$"""
        mutation ($input: UpdateAuthorInput!) { updateAuthor(input: $input) { author { id slug name bio url } {{Errors}} } }
        """;

    [Fact]
    public async Task An_editor_creates_an_author_found_by_slug_by_id_and_in_the_list()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await editor.QueryAsync(CreateAuthor, new { input = new { name = "  Zoë Ångström ", bio = " Covers science. ", url = "https://example.com/zoe" } });
        var author = created["createAuthor"]!["author"]!;
        var reader = api.CreateGraphQLClient();
        var bySlug = await reader.QueryAsync("""{ author(slug: "zoe-angstrom") { id name bio url } }""");
        var byId = await reader.QueryAsync("query ($id: ID!) { node(id: $id) { __typename ... on Author { slug } } }", new { id = author["id"].Text() });
        var listed = await reader.QueryAsync("""{ authors(where: { name: { startsWith: "Zoë" } }, order: [{ slug: DESC }]) { totalCount nodes { slug } } }""");

        Assert.Null(created["createAuthor"]!["errors"]);
        Assert.Equal(("zoe-angstrom", "Zoë Ångström", "Covers science.", "https://example.com/zoe"),
            (author["slug"].Text(), author["name"].Text(), author["bio"].Text(), author["url"].Text()));
        Assert.Equal(author["id"].Text(), bySlug["author"]!["id"].Text());
        Assert.Equal("Author", byId["node"]!["__typename"].Text());
        Assert.Equal("zoe-angstrom", byId["node"]!["slug"].Text());
        Assert.Equal(["zoe-angstrom"], listed["authors"]!["nodes"].Texts("slug"));
        Assert.Equal(1, listed["authors"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_taken_slug_a_malformed_slug_an_empty_name_a_long_bio_and_a_url_that_is_not_absolute_http_are_typed_errors()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await editor.QueryAsync(CreateAuthor, new { input = new { name = "Taken Name" } });

        var taken = await editor.QueryAsync(CreateAuthor, new { input = new { name = "Someone", slug = "taken-name" } });
        var malformed = await editor.QueryAsync(CreateAuthor, new { input = new { name = " ", slug = "Bad Slug", bio = new string('b', 2_001), url = "ftp://example.com/x" } });
        var relative = await editor.QueryAsync(CreateAuthor, new { input = new { name = "Relative", url = "/people/relative" } });
        var notAUrl = await editor.QueryAsync(CreateAuthor, new { input = new { name = "Spaces", url = "https://exa mple.com" } });

        Assert.Equal("SlugTakenError", taken["createAuthor"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("taken-name", taken["createAuthor"]!["errors"]![0]!["slug"].Text());
        Assert.Equal(["name", "bio", "url", "slug"], malformed["createAuthor"]!["errors"].Texts("path"));
        Assert.Null(malformed["createAuthor"]!["author"]);
        Assert.Equal(["url"], relative["createAuthor"]!["errors"].Texts("path"));
        Assert.Equal(["url"], notAUrl["createAuthor"]!["errors"].Texts("path"));
        Assert.Null((await editor.QueryAsync("""{ author(slug: "relative") { id } }"""))["author"]);
    }

    [Fact]
    public async Task Updating_an_author_changes_only_the_fields_given_and_an_empty_url_clears_it()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var id = (await editor.QueryAsync(CreateAuthor, new { input = new { name = "Ada Reporter", bio = "Reports.", url = "http://example.com/ada" } }))["createAuthor"]!["author"]!["id"].Text();

        var renamed = await editor.QueryAsync(UpdateAuthor, new { input = new { id, name = "Ada R. Reporter", slug = "ada-r-reporter" } });
        var cleared = await editor.QueryAsync(UpdateAuthor, new { input = new { id, url = "" } });
        var unknown = await editor.QueryAsync(UpdateAuthor, new { input = new { id = "QXV0aG9yOjk5OTk5", name = "Nobody" } });
        var foreign = await editor.QueryAsync(UpdateAuthor, new { input = new { id = "VGFnOjE=", name = "A tag's id" } });

        var author = renamed["updateAuthor"]!["author"]!;
        Assert.Equal(("ada-r-reporter", "Ada R. Reporter", "Reports.", "http://example.com/ada"),
            (author["slug"].Text(), author["name"].Text(), author["bio"].Text(), author["url"].Text()));
        Assert.Null(cleared["updateAuthor"]!["author"]!["url"]);
        Assert.Equal("Reports.", cleared["updateAuthor"]!["author"]!["bio"].Text());
        Assert.Equal("NotFoundError", unknown["updateAuthor"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("NotFoundError", foreign["updateAuthor"]!["errors"]![0]!["__typename"].Text());
    }

    [Fact]
    public async Task Authors_cannot_be_changed_anonymously()
    {
        var anonymous = await api.CreateGraphQLClient().PostAsync(CreateAuthor, new { input = new { name = "Sneaky" } });

        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymous.FirstErrorCode);
        Assert.Null((await api.CreateGraphQLClient().QueryAsync("""{ author(slug: "sneaky") { id } }"""))["author"]);
    }

    [Fact]
    public async Task Cached_anonymous_answers_showing_an_author_show_the_change_at_once()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var id = (await editor.QueryAsync(CreateAuthor, new { input = new { name = "Cached Writer" } }))["createAuthor"]!["author"]!["id"].Text();
        var (articleId, version) = await Newsroom.ArticleAsync(editor, "story-33");
        await Newsroom.MutateAsync(editor, "updateArticle", new { id = articleId, expectedVersion = version, bylines = new[] { new { authorId = id } } });
        const string page = """{ article(slug: "story-33") { title authors { author { name } } } author(slug: "cached-writer") { name } }""";
        const string missing = """{ author(slug: "renamed-writer") { name } }""";
        await Newsroom.AskAsync(api, page);
        await Newsroom.AskAsync(api, missing);
        var (_, cachedStatements) = await Newsroom.AskAsync(api, page);
        var (_, cachedMissing) = await Newsroom.AskAsync(api, missing);

        await Newsroom.MutateAsync(editor, "updateAuthor", new { id, name = "Renamed Writer", slug = "renamed-writer" });
        var (afterwards, _) = await Newsroom.AskAsync(api, page);
        var (found, _) = await Newsroom.AskAsync(api, missing);

        Assert.Equal((0, 0), (cachedStatements, cachedMissing));
        Assert.Equal("Renamed Writer", afterwards!["article"]!["authors"]![0]!["author"]!["name"].Text());
        // The old slug leads to the author as they are now (see DerivedSlugTests for the slug history).
        Assert.Equal("Renamed Writer", afterwards["author"]!["name"].Text());
        Assert.Equal("Renamed Writer", found!["author"]!["name"].Text());
    }
}
