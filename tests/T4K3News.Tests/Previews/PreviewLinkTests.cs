using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Previews;

public sealed class PreviewApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Previews:MaxHours"] = "48",
        ["Previews:MaxLinksPerArticle"] = "3",
        ["Site:BaseUrl"] = "https://www.t4k3.news/",
        ["RateLimiting:InvalidTokenPermitLimit"] = "20",
    };
}

/// <summary>Draft preview links: one article, in any status, for whoever holds the token, and nothing else; never cached.</summary>
public sealed class PreviewLinkTests(PreviewApi api) : IClassFixture<PreviewApi>
{
    private const string CreatePreviewLink = """
        mutation ($input: CreatePreviewLinkInput!) {
          createPreviewLink(input: $input) {
            token url expiresAt previewLink { id createdBy article { slug } }
            errors { __typename ... on Error { message } ... on ValidationError { path } ... on NotFoundError { id } }
          }
        }
        """;

    [Fact]
    public async Task Only_editors_create_preview_links_and_the_token_is_shown_once_and_stored_only_hashed()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Budget leak: the draft");

        var anonymous = await api.CreateGraphQLClient().PostAsync(CreatePreviewLink, new { input = new { articleId = draft.Id } });
        var created = (await editor.QueryAsync(CreatePreviewLink, new { input = new { articleId = draft.Id } }))["createPreviewLink"]!;

        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymous.FirstErrorCode);
        Assert.Null(created["errors"]);
        var token = created["token"].Text()!;
        Assert.Matches("^t4kp_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal($"https://www.t4k3.news/preview/{draft.Slug}?token={token}", created["url"].Text());
        var expiresAt = created["expiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(expiresAt - api.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Equal(draft.Slug, created["previewLink"]!["article"]!["slug"].Text());
        Assert.StartsWith("Editor-", created["previewLink"]!["createdBy"].Text());
        var linkNode = $$"""{ node(id: "{{created["previewLink"]!["id"].Text()}}") { ... on PreviewLink { createdBy } } }""";
        Assert.Null((await api.CreateGraphQLClient().QueryAsync(linkNode))["node"]);
        Assert.Null((await Previewing(token).QueryAsync(linkNode))["node"]);
        Assert.StartsWith("Editor-", (await editor.QueryAsync(linkNode))["node"]!["createdBy"].Text());

        await using var db = api.CreateDbContext();
        var rows = await db.Database.SqlQueryRaw<string>("SELECT row_to_json(l)::text AS \"Value\" FROM \"PreviewLinks\" l").ToListAsync();
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, row => row.Contains(token, StringComparison.Ordinal) || row.Contains(token[5..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_preview_token_shows_its_draft_and_nothing_else()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var published = await PublishedAsync(editor, "Harbour reopens after the storm");
        var other = await DraftAsync(editor, "Another secret draft");
        var draft = await DraftAsync(editor, "Minister resigns: the draft", relatedArticleIds: [published.Id, other.Id]);
        var token = await LinkAsync(editor, draft.Id);
        var preview = Previewing(token);
        var reader = api.CreateGraphQLClient();
        var page = $$"""{ article(slug: "{{draft.Slug}}") { title status relatedArticles { slug } tags { slug } } }""";
        // A reader asking first leaves a kept plan (and a cached answer) for this document without variables...
        var readersFirst = await reader.QueryAsync(page);

        // ...which the preview must neither take nor replace. With variables the resolvers answer alike.
        var bySlug = await preview.QueryAsync(page);
        var readersAfter = await reader.QueryAsync(page);
        var bySlugVariable = await preview.QueryAsync("query ($slug: String!) { article(slug: $slug) { title status } }", new { slug = draft.Slug });
        var byNode = await preview.QueryAsync($$"""{ node(id: "{{draft.Id}}") { ... on Article { title } } }""");
        var otherDraft = await preview.QueryAsync($$"""{ article(slug: "{{other.Slug}}") { title } node(id: "{{other.Id}}") { id } }""");
        var listed = await preview.QueryAsync("{ articles(first: 10) { totalCount nodes { slug } } }");
        var listedByReaders = await reader.QueryAsync("{ articles(first: 10) { totalCount nodes { slug } } }");
        var publishedOne = await preview.QueryAsync($$"""{ article(slug: "{{published.Slug}}") { title } }""");

        Assert.Null(readersFirst["article"]);
        Assert.Null(readersAfter["article"]);
        Assert.Equal("Minister resigns: the draft", bySlug["article"]!["title"].Text());
        Assert.Equal("DRAFT", bySlug["article"]!["status"].Text());
        Assert.Equal([published.Slug], bySlug["article"]!["relatedArticles"].Texts("slug"));
        Assert.Equal("DRAFT", bySlugVariable["article"]!["status"].Text());
        Assert.Equal("Minister resigns: the draft", byNode["node"]!["title"].Text());
        Assert.Null(otherDraft["article"]);
        Assert.Null(otherDraft["node"]);
        Assert.Equal(listedByReaders.ToJsonString(), listed.ToJsonString());
        Assert.DoesNotContain(draft.Slug, listed["articles"]!["nodes"].Texts("slug"));
        Assert.Equal("Harbour reopens after the storm", publishedOne["article"]!["title"].Text());
        Assert.Null((await reader.QueryAsync($$"""{ article(slug: "{{draft.Slug}}") { title } }"""))["article"]);
    }

    [Fact]
    public async Task Preview_answers_are_no_store_noindex_without_an_ETag_and_never_enter_or_come_from_the_response_cache()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Cache me not");
        var token = await LinkAsync(editor, draft.Id);
        var query = $$"""{ article(slug: "{{draft.Slug}}") { title } }""";
        var url = "/graphql?query=" + Uri.EscapeDataString(query);
        var cache = api.Services.GetRequiredService<ResponseCache>();
        await WaitUntilActiveAsync(cache);
        using var anonymous = api.CreateClient();

        // A reader's answer (the draft is null for readers) is cached and shared...
        var readersAnswer = await anonymous.GetAsync(url);
        Assert.NotNull(readersAnswer.Headers.ETag);
        var before = cache.Size;
        // ...and a preview of the same document neither takes it nor leaves one.
        using var previewGet = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "X-Preview-Token", token }, { "If-None-Match", readersAnswer.Headers.ETag!.ToString() } } };
        var get = await anonymous.SendAsync(previewGet);
        using var previewPost = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }), Headers = { { "X-Preview-Token", token } } };
        var post = await anonymous.SendAsync(previewPost);
        var after = cache.Size;

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Cache me not", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["data"]!["article"]!["title"].Text());
        Assert.Equal("Cache me not", JsonNode.Parse(await post.Content.ReadAsStringAsync())!["data"]!["article"]!["title"].Text());
        foreach (var response in new[] { get, post })
        {
            Assert.True(response.Headers.CacheControl!.NoStore);
            Assert.False(response.Headers.CacheControl.Public);
            Assert.Null(response.Headers.ETag);
            Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
            Assert.Contains("X-Preview-Token", response.Headers.Vary);
        }

        Assert.Equal(before, after);
        Assert.True(before.Count > 0);
        Assert.Contains("X-Preview-Token", readersAnswer.Headers.Vary);
    }

    [Fact]
    public async Task An_expired_revoked_garbage_or_oversized_token_is_refused_with_PREVIEW_TOKEN_INVALID_never_answered_as_a_reader()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Short-lived draft");
        var expiring = await LinkAsync(editor, draft.Id, expiresInHours: 1);
        var (revoked, revokedId) = await LinkWithIdAsync(editor, draft.Id);
        var revocation = await editor.QueryAsync("mutation ($input: RevokePreviewLinkInput!) { revokePreviewLink(input: $input) { previewLink { revokedAt } errors { __typename } } }", new { input = new { id = revokedId } });
        var revokedAgain = await editor.QueryAsync("mutation ($input: RevokePreviewLinkInput!) { revokePreviewLink(input: $input) { errors { __typename } } }", new { input = new { id = revokedId } });
        Assert.NotNull(revocation["revokePreviewLink"]!["previewLink"]!["revokedAt"]);
        Assert.Equal("NotFoundError", revokedAgain["revokePreviewLink"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(200, (await Previewing(expiring).PostAsync("{ __typename }")).Status);

        api.Clock.Advance(TimeSpan.FromHours(1.5));
        try
        {
            foreach (var token in new[] { expiring, revoked, "t4kp_" + new string('A', 43), "garbage", new string('x', 100_000) })
            {
                var response = await Previewing(token).PostAsync("{ articles(first: 1) { nodes { slug } } }");
                Assert.Equal(403, response.Status);
                Assert.Equal("PREVIEW_TOKEN_INVALID", response.FirstErrorCode);
                Assert.Null(response.Data);
            }
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromHours(-1.5));
        }
    }

    [Fact]
    public async Task Two_preview_tokens_are_refused_with_PREVIEW_TOKEN_INVALID_even_when_both_are_valid()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Twice-linked draft");
        var (first, second) = (await LinkAsync(editor, draft.Id), await LinkAsync(editor, draft.Id));
        var query = $$"""{ article(slug: "{{draft.Slug}}") { title } }""";
        Assert.Equal("Twice-linked draft", (await Previewing(first).QueryAsync(query))["article"]!["title"].Text());

        foreach (var tokens in new[] { new[] { first, second }, [first, first], [first, "garbage"] })
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get })
            {
                using var request = method == HttpMethod.Post
                    ? new HttpRequestMessage(method, "/graphql") { Content = JsonContent.Create(new { query }) }
                    : new HttpRequestMessage(method, "/graphql?query=" + Uri.EscapeDataString(query));
                Assert.True(request.Headers.TryAddWithoutValidation("X-Preview-Token", tokens));
                using var response = await api.CreateClient().SendAsync(request);
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("PREVIEW_TOKEN_INVALID", body["errors"]![0]!["extensions"]!["code"].Text());
                Assert.Null(body["data"]);
                Assert.DoesNotContain("Twice-linked", body.ToJsonString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Link_lifetimes_and_the_number_of_live_links_per_article_are_bounded()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Much-previewed draft");

        async Task<JsonNode> CreateAsync(object input) => (await editor.QueryAsync(CreatePreviewLink, new { input }))["createPreviewLink"]!;
        var tooShort = await CreateAsync(new { articleId = draft.Id, expiresInHours = 0 });
        var tooLong = await CreateAsync(new { articleId = draft.Id, expiresInHours = 49 });
        var unknown = await CreateAsync(new { articleId = "QXJ0aWNsZTo5OTk5OTk=" });
        var notAnArticle = await CreateAsync(new { articleId = "VGFnOjE=" });
        var longest = await CreateAsync(new { articleId = draft.Id, expiresInHours = 48 });
        await CreateAsync(new { articleId = draft.Id });
        await CreateAsync(new { articleId = draft.Id });
        var fourth = await CreateAsync(new { articleId = draft.Id });

        Assert.Equal(["expiresInHours"], tooShort["errors"]!.AsArray().Select(e => e!["path"].Text()));
        Assert.Equal(["expiresInHours"], tooLong["errors"]!.AsArray().Select(e => e!["path"].Text()));
        Assert.Null(tooLong["token"]);
        Assert.Equal("NotFoundError", unknown["errors"]![0]!["__typename"].Text());
        Assert.Equal("NotFoundError", notAnArticle["errors"]![0]!["__typename"].Text());
        Assert.Null(longest["errors"]);
        Assert.Equal(["articleId"], fourth["errors"]!.AsArray().Select(e => e!["path"].Text()));

        var revoked = await editor.QueryAsync("mutation ($input: RevokePreviewLinkInput!) { revokePreviewLink(input: $input) { errors { __typename } } }",
            new { input = new { id = longest["previewLink"]!["id"].Text() } });
        Assert.Null(revoked["revokePreviewLink"]!["errors"]);
        Assert.Null((await CreateAsync(new { articleId = draft.Id }))["errors"]);
    }

    [Fact]
    public async Task Failed_preview_tokens_count_against_the_address_like_unknown_bearer_tokens_and_are_then_refused_unread()
    {
        var address = IPAddress.Parse("10.9.8.7");
        var statuses = new List<int>();
        var lookups = new List<int>();
        for (var i = 0; i < 22; i++)
        {
            api.Statements.Reset();
            var client = api.CreateGraphQLClientFrom(address);
            client.Http.DefaultRequestHeaders.Add("X-Preview-Token", "t4kp_" + Guid.NewGuid().ToString("N") + "0123456789a");
            statuses.Add((await client.PostAsync("{ __typename }")).Status);
            lookups.Add(api.Statements.Count);
        }

        Assert.Equal(Enumerable.Repeat(403, 20).Concat([429, 429]), statuses);
        Assert.Equal(Enumerable.Repeat(1, 20).Concat([0, 0]), lookups);
        Assert.Equal(200, (await api.CreateGraphQLClient().PostAsync("{ __typename }")).Status);
    }

    [Fact]
    public async Task A_preview_token_is_not_taken_on_a_WebSocket_connection()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Sockets see no drafts");
        var token = await LinkAsync(editor, draft.Id);
        var client = api.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        client.ConfigureRequest = request => request.Headers["X-Preview-Token"] = token;

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri("ws://localhost/graphql"), CancellationToken.None));

        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task An_editor_sees_an_articles_live_links_newest_first_and_nobody_else_sees_any()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Harbour deal: the draft");
        var (kept, keptId) = await LinkWithIdAsync(editor, draft.Id);
        var (_, revokedId) = await LinkWithIdAsync(editor, draft.Id);
        await editor.QueryAsync("mutation ($id: ID!) { revokePreviewLink(input: { id: $id }) { errors { __typename } } }", new { id = revokedId });
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, newestId) = await LinkWithIdAsync(editor, draft.Id, expiresInHours: 2);
        var links = $$"""{ node(id: "{{draft.Id}}") { ... on Article { previewLinks { id expiresAt revokedAt } } } }""";
        var published = await PublishedAsync(editor, "Harbour deal: out");

        var listed = (await editor.QueryAsync(links))["node"]!["previewLinks"]!.AsArray();
        var byPreviewer = await Previewing(kept).PostAsync(links);
        var byReader = await api.CreateGraphQLClient().PostAsync($$"""{ article(slug: "{{published.Slug}}") { previewLinks { id } } }""");

        Assert.Equal([newestId, keptId], listed.Select(l => l!["id"].Text()));
        Assert.All(listed, l => Assert.Null(l!["revokedAt"]));
        Assert.Equal("AUTH_NOT_AUTHENTICATED", byPreviewer.FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", byReader.FirstErrorCode);
        Assert.Equal("""{"article":{"previewLinks":null}}""", byReader.Data!.ToJsonString());
        Assert.DoesNotContain(kept, (await editor.PostAsync(links)).Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_preview_token_resolveSlug_resolves_that_articles_slugs_and_no_other_drafts()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await DraftAsync(editor, "Redirect recipe preview");
        var other = await DraftAsync(editor, "Redirect recipe other draft");
        var token = await LinkAsync(editor, draft.Id);
        var renamed = await editor.QueryAsync("""
            mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { slug } errors { ... on Error { message } } } }
            """, new { input = new { id = draft.Id, expectedVersion = draft.Version, slug = draft.Slug + "-renamed" } });
        const string resolve = "query ($slug: String!) { resolveSlug(slug: $slug) { canonicalSlug isRedirect article { status } } }";

        var current = (await Previewing(token).QueryAsync(resolve, new { slug = draft.Slug + "-renamed" }))["resolveSlug"]!;
        var old = (await Previewing(token).QueryAsync(resolve, new { slug = draft.Slug }))["resolveSlug"]!;
        var otherDraft = (await Previewing(token).QueryAsync(resolve, new { slug = other.Slug }))["resolveSlug"];
        var reader = (await api.CreateGraphQLClient().QueryAsync(resolve, new { slug = draft.Slug }))["resolveSlug"];

        Assert.Null(renamed["updateArticle"]!["errors"]);
        Assert.Equal((draft.Slug + "-renamed", false, "DRAFT"), (current["canonicalSlug"].Text(), current["isRedirect"]!.GetValue<bool>(), current["article"]!["status"].Text()));
        Assert.Equal((draft.Slug + "-renamed", true), (old["canonicalSlug"].Text(), old["isRedirect"]!.GetValue<bool>()));
        Assert.Null(otherDraft);
        Assert.Null(reader);
    }

    private GraphQLClient Previewing(string token)
    {
        var client = api.CreateGraphQLClient();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("X-Preview-Token", token);
        return client;
    }

    private static async Task<string> LinkAsync(GraphQLClient editor, string articleId, int? expiresInHours = null) =>
        (await LinkWithIdAsync(editor, articleId, expiresInHours)).Token;

    private static async Task<(string Token, string Id)> LinkWithIdAsync(GraphQLClient editor, string articleId, int? expiresInHours = null)
    {
        var created = (await editor.QueryAsync(CreatePreviewLink, new { input = new { articleId, expiresInHours } }))["createPreviewLink"]!;
        Assert.Null(created["errors"]);
        return (created["token"].Text()!, created["previewLink"]!["id"].Text()!);
    }

    private static async Task<(string Id, string Slug, int Version)> DraftAsync(GraphQLClient editor, string title, string[]? relatedArticleIds = null)
    {
        var data = await editor.QueryAsync("""
            mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug version } errors { ... on Error { message } } } }
            """, new { input = new { title = $"{title} {Guid.NewGuid():N}"[..Math.Min(title.Length + 33, 300)], standfirst = "A standfirst.", body = "A body.", relatedArticleIds } });
        var article = data["createArticle"]!["article"]!;
        Assert.NotNull(article);
        // The title carries a unique tail for a unique slug; set it back to the plain title for the assertions.
        var id = article["id"].Text()!;
        var updated = await editor.QueryAsync("""
            mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { ... on Error { message } } } }
            """, new { input = new { id, expectedVersion = article["version"]!.GetValue<int>(), title } });
        return (id, article["slug"].Text()!, updated["updateArticle"]!["article"]!["version"]!.GetValue<int>());
    }

    private static async Task<(string Id, string Slug)> PublishedAsync(GraphQLClient editor, string title)
    {
        var (id, slug, version) = await DraftAsync(editor, title);
        var data = await editor.QueryAsync("""
            mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { errors { ... on Error { message } } } }
            """, new { input = new { id, expectedVersion = version } });
        Assert.Null(data["publishArticle"]!["errors"]);
        return (id, slug);
    }

    private static async Task WaitUntilActiveAsync(ResponseCache cache)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (cache.IsEnabled && !cache.IsActive)
        {
            Assert.True(DateTime.UtcNow < deadline, "The response cache did not start");
            await Task.Delay(20);
        }
    }
}
