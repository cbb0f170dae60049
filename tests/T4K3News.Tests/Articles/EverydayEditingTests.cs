using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

/// <summary>What an editor trips over in their first hour: slugs for tags and authors, schedules, republishing, times, tokens.</summary>
public sealed class EverydayEditingTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string Errors = "errors { __typename ... on Error { message } ... on ValidationError { path } ... on NotFoundError { id } }";
    private const string Fields = "id slug status version publishedAt firstPublishedAt createdAt updatedAt jsonLd tags { slug } authors { role author { slug } }";
    private const string CreateArticle = $"mutation ($input: CreateArticleInput!) {{ createArticle(input: $input) {{ article {{ {Fields} }} {Errors} }} }}";
    private const string UpdateArticle = $"mutation ($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{ article {{ {Fields} }} {Errors} }} }}";
    private const string PublishArticle = $"mutation ($input: PublishArticleInput!) {{ publishArticle(input: $input) {{ article {{ {Fields} }} {Errors} }} }}";
    private const string UnpublishArticle =
        $"mutation ($input: UnpublishArticleInput!) {{ unpublishArticle(input: $input) {{ article {{ {Fields} }} errors {{ __typename }} }} }}";

    private static object Draft(string title, object? tagIds = null, object? tags = null, object? bylines = null) =>
        new { input = new { title, standfirst = "A standfirst.", body = "A body.", tagIds, tags, bylines } };

    private static async Task<JsonNode> CreateAsync(GraphQLClient editor, string title)
    {
        var created = (await editor.QueryAsync(CreateArticle, Draft(title)))["createArticle"]!;
        Assert.Null(created["errors"]);
        return created["article"]!;
    }

    private static async Task<JsonNode> StepAsync(GraphQLClient editor, string mutation, string name, object input)
    {
        var payload = (await editor.QueryAsync(mutation, new { input }))[name]!;
        Assert.Null(payload["errors"]);
        return payload["article"]!;
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_published_article_with_a_future_time_is_SCHEDULED_and_the_filter_finds_it_by_that_status()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateAsync(editor, "Scheduled as a status");
        var at = api.Clock.GetUtcNow().AddHours(3).UtcDateTime;

        var scheduled = await StepAsync(editor, PublishArticle, "publishArticle", new { id = draft["id"].Text(), expectedVersion = 1, at });
        async Task<IReadOnlyList<string?>> Found(string status) => (await editor.QueryAsync(
            $$"""{ articles(where: { slug: { eq: "scheduled-as-a-status" }, status: {{status}} }) { nodes { status } } }"""))["articles"]!["nodes"].Texts("status");

        Assert.Equal("SCHEDULED", scheduled["status"].Text());
        Assert.Equal(["SCHEDULED"], await Found("{ eq: SCHEDULED }"));
        Assert.Empty(await Found("{ eq: PUBLISHED }"));
        Assert.Empty(await Found("{ neq: SCHEDULED }"));
        Assert.Equal(["SCHEDULED"], await Found("{ neq: PUBLISHED }"));
        Assert.Equal(["SCHEDULED"], await Found("{ in: [DRAFT, SCHEDULED] }"));
        Assert.Empty(await Found("{ nin: [SCHEDULED] }"));
        api.Clock.Advance(TimeSpan.FromHours(4));
        try
        {
            Assert.Equal(["PUBLISHED"], await Found("{ eq: PUBLISHED }"));
            Assert.Empty(await Found("{ eq: SCHEDULED }"));
            var read = await editor.QueryAsync("""{ article(slug: "scheduled-as-a-status") { status } }""");
            Assert.Equal("PUBLISHED", read["article"]!["status"].Text());
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-4));
        }
    }

    [Fact]
    public async Task Publishing_at_a_past_time_is_refused_beyond_a_minute_of_clock_skew()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateAsync(editor, "Backdated");
        var now = api.Clock.GetUtcNow().UtcDateTime;

        var refused = (await editor.QueryAsync(PublishArticle, new { input = new { id = draft["id"].Text(), expectedVersion = 1, at = now.AddMinutes(-2) } }))["publishArticle"]!;
        var skewed = (await editor.QueryAsync(PublishArticle, new { input = new { id = draft["id"].Text(), expectedVersion = 1, at = now.AddSeconds(-20) } }))["publishArticle"]!;

        Assert.Null(refused["article"]);
        Assert.Equal(["at"], refused["errors"].Texts("path"));
        Assert.Equal("A publication time cannot lie in the past (by more than a minute): omit at to publish now.", refused["errors"]![0]!["message"].Text());
        Assert.Null(skewed["errors"]);
        Assert.Equal("PUBLISHED", skewed["article"]!["status"].Text());
    }

    [Fact]
    public async Task A_time_without_an_offset_is_refused_as_HotChocolate_refuses_it()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateAsync(editor, "No offset");

        var response = await editor.PostAsync(PublishArticle, new { input = new { id = draft["id"].Text(), expectedVersion = 1, at = "2030-01-01T06:00:00" } });
        var withOffset = await editor.PostAsync(PublishArticle, new { input = new { id = draft["id"].Text(), expectedVersion = 1, at = "2030-01-01T08:00:00+02:00" } });

        Assert.Equal("INVALID_VALUE", response.FirstErrorCode);
        Assert.StartsWith("Variable '$input.at' is invalid.", response.FirstErrorMessage);
        Assert.Null(response.Data?["publishArticle"]);
        Assert.Null(withOffset.Errors);
        Assert.Equal("2030-01-01T06:00:00Z", withOffset.Data!["publishArticle"]!["article"]!["publishedAt"].Text());
    }

    [Fact]
    public async Task Tags_are_given_by_slug_and_an_unknown_one_is_named_as_sent()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var ukraine = (await editor.QueryAsync("""{ tag(slug: "ukraine") { id } }"""))["tag"]!["id"].Text()!;

        var bySlug = (await editor.QueryAsync(CreateArticle, Draft("Tagged by slug", tags: new[] { "Ukraine" })))["createArticle"]!;
        var both = (await editor.QueryAsync(CreateArticle, Draft("Tagged twice", tagIds: new[] { ukraine }, tags: new[] { "ukraine" })))["createArticle"]!;
        var unknownSlug = (await editor.QueryAsync(CreateArticle, Draft("Unknown tag slug", tags: new[] { "ukraine", "no-such-tag" })))["createArticle"]!;
        var unknownId = (await editor.QueryAsync(CreateArticle, Draft("Unknown tag id", tagIds: new[] { Base64("Tag:99999") })))["createArticle"]!;
        var id = bySlug["article"]!["id"].Text();
        var updated = (await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = 1, tags = Array.Empty<string>() } }))["updateArticle"]!;

        Assert.Null(bySlug["errors"]);
        Assert.Equal(["ukraine"], bySlug["article"]!["tags"].Texts("slug"));
        Assert.Equal(["tags"], both["errors"].Texts("path"));
        Assert.Equal("Give tags by id (tagIds) or by slug (tags), not both.", both["errors"]![0]!["message"].Text());
        Assert.Equal(["tags[1]"], unknownSlug["errors"].Texts("path"));
        Assert.Equal("There is no tag with the slug 'no-such-tag'.", unknownSlug["errors"]![0]!["message"].Text());
        Assert.Equal("NotFoundError", unknownId["errors"]![0]!["__typename"].Text());
        Assert.Equal($"'{Base64("Tag:99999")}' is not the id of any Tag.", unknownId["errors"]![0]!["message"].Text());
        Assert.Empty(updated["article"]!["tags"]!.AsArray());
    }

    [Fact]
    public async Task Authors_are_credited_by_slug_and_an_unknown_one_is_named_as_sent()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var ada = (await editor.QueryAsync("""mutation { createAuthor(input: { name: "Ada Byline" }) { author { id slug } } }"""))["createAuthor"]!["author"]!;

        var bySlug = (await editor.QueryAsync(CreateArticle, Draft("Credited by slug",
            bylines: new object[] { new { authorSlug = "ADA-BYLINE" }, new { authorSlug = "ada-byline", role = "EDITOR" } })))["createArticle"]!;
        var both = (await editor.QueryAsync(CreateArticle, Draft("Credited twice", bylines: new[] { new { authorId = ada["id"].Text(), authorSlug = "ada-byline" } })))["createArticle"]!;
        var neither = (await editor.QueryAsync(CreateArticle, Draft("Credited to nobody", bylines: new[] { new { role = "AUTHOR" } })))["createArticle"]!;
        var unknownSlug = (await editor.QueryAsync(CreateArticle, Draft("Unknown author slug",
            bylines: new[] { new { authorSlug = "ada-byline" }, new { authorSlug = "nobody-at-all" } })))["createArticle"]!;
        var unknownId = (await editor.QueryAsync(CreateArticle, Draft("Unknown author id", bylines: new[] { new { authorId = Base64("Author:99999") } })))["createArticle"]!;

        Assert.Null(bySlug["errors"]);
        Assert.Equal(["AUTHOR", "EDITOR"], bySlug["article"]!["authors"].Texts("role"));
        Assert.Equal(["bylines[0]"], both["errors"].Texts("path"));
        Assert.Equal("Give the author by id (authorId) or by slug (authorSlug), not both.", both["errors"]![0]!["message"].Text());
        Assert.Equal(["bylines[0]"], neither["errors"].Texts("path"));
        Assert.Equal(["bylines[1].authorSlug"], unknownSlug["errors"].Texts("path"));
        Assert.Equal("There is no author with the slug 'nobody-at-all'.", unknownSlug["errors"]![0]!["message"].Text());
        Assert.Equal(["bylines[0].authorId"], unknownId["errors"].Texts("path"));
        Assert.Equal($"'{Base64("Author:99999")}' is not the id of any Author.", unknownId["errors"]![0]!["message"].Text());
    }

    [Fact]
    public async Task Unpublishing_and_republishing_keeps_the_story_in_its_place_unless_the_editor_gives_a_time()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateAsync(editor, "Back in its place");
        var id = draft["id"].Text();

        var first = await StepAsync(editor, PublishArticle, "publishArticle", new { id, expectedVersion = 1 });
        await StepAsync(editor, UnpublishArticle, "unpublishArticle", new { id, expectedVersion = 2 });
        api.Clock.Advance(TimeSpan.FromHours(1));
        JsonNode again, moved;
        try
        {
            again = await StepAsync(editor, PublishArticle, "publishArticle", new { id, expectedVersion = 3 });
            await StepAsync(editor, UnpublishArticle, "unpublishArticle", new { id, expectedVersion = 4 });
            moved = await StepAsync(editor, PublishArticle, "publishArticle", new { id, expectedVersion = 5, at = api.Clock.GetUtcNow().AddHours(2).UtcDateTime });
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-1));
        }

        var published = first["publishedAt"].Text();
        Assert.Equal(published, first["firstPublishedAt"].Text());
        Assert.Equal((published, published), (again["publishedAt"].Text(), again["firstPublishedAt"].Text()));
        Assert.NotEqual(published, moved["publishedAt"].Text());
        Assert.Equal(published, moved["firstPublishedAt"].Text());
        var datePublished = JsonNode.Parse(moved["jsonLd"].Text()!)!["datePublished"].Text();
        Assert.Equal(DateTime.Parse(published!, null, System.Globalization.DateTimeStyles.RoundtripKind).ToString("yyyy-MM-ddTHH:mm:ssZ"), datePublished);
    }

    [Fact]
    public async Task A_moment_looks_the_same_in_a_mutations_answer_and_in_later_reads()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var created = await CreateAsync(editor, "Same moment");
        var published = await StepAsync(editor, PublishArticle, "publishArticle", new { id = created["id"].Text(), expectedVersion = 1 });

        var read = (await editor.QueryAsync("""{ article(slug: "same-moment") { createdAt updatedAt publishedAt } }"""))["article"]!;
        var listed = (await editor.QueryAsync("""{ articles(where: { slug: { eq: "same-moment" } }) { nodes { createdAt updatedAt publishedAt } } }"""))["articles"]!["nodes"]![0]!;

        foreach (var field in new[] { "createdAt", "updatedAt", "publishedAt" })
        {
            Assert.Equal(published[field].Text(), read[field].Text());
            Assert.Equal(published[field].Text(), listed[field].Text());
        }

        Assert.Equal(created["createdAt"].Text(), read["createdAt"].Text());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$", published["updatedAt"].Text());
    }

    [Fact]
    public async Task A_wrong_or_revoked_token_says_so_and_a_missing_one_asks_to_sign_in()
    {
        var tokens = api.Services.GetRequiredService<ApiTokens>();
        var issued = await tokens.CreateAsync("leaves-today", TokenRole.Editor, null, default);
        await tokens.RevokeAsync("leaves-today", default);

        var wrong = await api.CreateGraphQLClient("t4k_not-a-token-this-server-gave-out").PostAsync(CreateArticle, Draft("Wrong token"));
        var revoked = await api.CreateGraphQLClient(issued.Secret).PostAsync(CreateArticle, Draft("Revoked token"));
        var missing = await api.CreateGraphQLClient().PostAsync(CreateArticle, Draft("No token"));
        var reading = await api.CreateGraphQLClient("t4k_not-a-token-this-server-gave-out").PostAsync("""{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { status } }""");

        Assert.Equal("AUTH_TOKEN_INVALID", wrong.FirstErrorCode);
        Assert.Equal("The API token is unknown, revoked or expired: ask an admin for a new one.", wrong.FirstErrorMessage);
        Assert.Equal("AUTH_TOKEN_INVALID", revoked.FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", missing.FirstErrorCode);
        Assert.Null(reading.Errors);
        Assert.Equal("PUBLISHED", reading.Data!["article"]!["status"].Text());
    }

    [Fact]
    public async Task A_seed_article_was_last_modified_at_its_documents_date_not_at_its_import()
    {
        const string slug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";
        var article = (await api.CreateGraphQLClient().QueryAsync($$"""{ article(slug: "{{slug}}") { publishedAt firstPublishedAt updatedAt jsonLd } }"""))["article"]!;
        var sitemap = XDocument.Parse(await api.CreateClient().GetStringAsync("/sitemap.xml"));
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

        var jsonLd = JsonNode.Parse(article["jsonLd"].Text()!)!;
        Assert.Equal("2025-07-20T11:06:00Z", article["publishedAt"].Text());
        Assert.Equal("2025-07-20T11:06:00Z", article["firstPublishedAt"].Text());
        Assert.Equal("2025-07-20T11:06:00Z", article["updatedAt"].Text());
        Assert.Equal(("2025-07-20T11:06:00Z", "2025-07-20T11:06:00Z"), (jsonLd["datePublished"].Text(), jsonLd["dateModified"].Text()));
        var url = sitemap.Root!.Elements(ns + "url").Single(u => u.Element(ns + "loc")!.Value.EndsWith("/" + slug, StringComparison.Ordinal));
        Assert.Equal("2025-07-20T11:06:00Z", url.Element(ns + "lastmod")!.Value);
    }
}
