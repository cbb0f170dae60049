using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

public sealed class EditorialWorkflowTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string ArticleFields = "id slug title standfirst status version publishedAt body analysis takeaways { text } quotes { text speaker context } tags { slug } relatedArticles { slug }";
    private static readonly Dictionary<string, string> ErrorFields = new()
    {
        ["ValidationError"] = "path",
        ["ConcurrencyError"] = "expectedVersion currentVersion",
        ["SlugTakenError"] = "slug",
        ["NotFoundError"] = "id",
        ["InvalidStatusError"] = "status",
    };

    private static readonly Dictionary<string, string[]> ErrorUnions = new()
    {
        ["createArticle"] = ["ValidationError", "SlugTakenError", "NotFoundError"],
        ["updateArticle"] = ["ValidationError", "SlugTakenError", "NotFoundError", "ConcurrencyError"],
        ["publishArticle"] = ["ValidationError", "NotFoundError", "ConcurrencyError", "InvalidStatusError"],
        ["unpublishArticle"] = ["NotFoundError", "ConcurrencyError", "InvalidStatusError"],
        ["archiveArticle"] = ["NotFoundError", "ConcurrencyError", "InvalidStatusError"],
        ["restoreArticle"] = ["NotFoundError", "ConcurrencyError", "InvalidStatusError"],
        ["deleteArticle"] = ["NotFoundError", "ConcurrencyError"],
        ["restoreArticleRevision"] = ["ValidationError", "SlugTakenError", "NotFoundError", "ConcurrencyError"],
    };

    private static string Create() => Step("createArticle");

    private static string Step(string mutation)
    {
        var errors = string.Concat(ErrorUnions[mutation].Select(type => $" ... on {type} {{ {ErrorFields[type]} }}"));
        return $$"""
            mutation ($input: {{char.ToUpperInvariant(mutation[0]) + mutation[1..]}}Input!) { {{mutation}}(input: $input) { article { {{ArticleFields}} } errors { __typename ... on Error { message }{{errors}} } } }
            """;
    }

    private static object NewDraft(string title, string? slug = null) => new
    {
        input = new
        {
            title,
            slug,
            standfirst = "A standfirst.",
            body = "First paragraph.\n\nSecond paragraph.",
            takeaways = new[] { "One", "Two", "Three" },
            quotes = new[] { new { text = "Quoted.", speaker = "A. Person", context = "Said today." } },
        },
    };

    private async Task<JsonNode> CreateDraftAsync(GraphQLClient editor, string title)
    {
        var data = await editor.QueryAsync(Create(), NewDraft(title));
        Assert.Null(data["createArticle"]!["errors"]);
        return data["createArticle"]!["article"]!;
    }

    [Fact]
    public async Task Anonymous_callers_cannot_mutate_and_nothing_is_written()
    {
        var response = await api.CreateGraphQLClient().PostAsync(Create(), NewDraft("Anonymous attempt"));

        Assert.Equal("AUTH_NOT_AUTHENTICATED", response.FirstErrorCode);
        await using var db = api.CreateDbContext();
        Assert.False(await db.Articles.AnyAsync(a => a.Title == "Anonymous attempt"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Operation == "createArticle" && e.Outcome == "denied: AUTH_NOT_AUTHENTICATED"));
    }

    [Fact]
    public async Task Revoked_and_expired_tokens_stop_working_at_once()
    {
        var tokens = api.Services.GetRequiredService<ApiTokens>();
        var issued = await tokens.CreateAsync("soon-revoked", TokenRole.Editor, null, default);
        var client = api.CreateGraphQLClient(issued.Secret);
        Assert.Null((await client.PostAsync(Create(), NewDraft("Before revocation"))).Errors);

        await tokens.RevokeAsync("soon-revoked", default);
        var afterRevocation = await client.PostAsync(Create(), NewDraft("After revocation"));

        var expiring = await api.CreateClientWithRoleAsync(TokenRole.Editor, TimeSpan.FromHours(1));
        api.Clock.Advance(TimeSpan.FromHours(2));
        var afterExpiry = await expiring.PostAsync(Create(), NewDraft("After expiry"));
        api.Clock.Advance(TimeSpan.FromHours(-2));

        Assert.Equal("AUTH_TOKEN_INVALID", afterRevocation.FirstErrorCode);
        Assert.Equal("AUTH_TOKEN_INVALID", afterExpiry.FirstErrorCode);
    }

    [Fact]
    public async Task An_editor_creates_a_draft_that_only_editors_see()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var article = await CreateDraftAsync(editor, "Drafted by an editor");

        Assert.Equal("drafted-by-an-editor", article["slug"].Text());
        Assert.Equal("DRAFT", article["status"].Text());
        Assert.Equal(1, article["version"]!.GetValue<int>());
        Assert.Equal(["One", "Two", "Three"], article["takeaways"].Texts("text"));
        Assert.Null((await api.CreateGraphQLClient().QueryAsync("""{ article(slug: "drafted-by-an-editor") { title } }"""))["article"]);
        var drafts = await editor.QueryAsync("""{ articles(where: { status: { eq: DRAFT }, slug: { eq: "drafted-by-an-editor" } }) { nodes { title } } }""");
        Assert.Equal(["Drafted by an editor"], drafts["articles"]!["nodes"].Texts("title"));
    }

    [Fact]
    public async Task Every_validation_problem_is_reported_with_its_path_and_nothing_is_written()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var data = await editor.QueryAsync(Create(), new
        {
            input = new
            {
                title = "   ",
                slug = "Not A Slug",
                standfirst = new string('s', 1001),
                body = "Body.",
                quotes = new[] { new { text = "", speaker = (string?)null, context = (string?)null } },
                tagIds = new[] { Convert.ToBase64String("Tag:99999"u8.ToArray()), "garbage" },
            },
        });

        var errors = data["createArticle"]!["errors"]!.AsArray();
        Assert.Null(data["createArticle"]!["article"]);
        Assert.Equal(["garbage", Convert.ToBase64String("Tag:99999"u8.ToArray())], errors.Where(e => e!["__typename"].Text() == "NotFoundError").Select(e => e!["id"].Text()));
        Assert.Equal(["slug", "title", "standfirst", "quotes[0].text"], errors.Where(e => e!["__typename"].Text() == "ValidationError").Select(e => e!["path"].Text()));
        await using var db = api.CreateDbContext();
        Assert.False(await db.Articles.AnyAsync(a => a.Standfirst.Length > 1000));
    }

    [Fact]
    public async Task A_slug_that_is_taken_and_an_unknown_tag_are_typed_errors()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var taken = await editor.QueryAsync(Create(), NewDraft("Duplicate", "zelenskyy-calls-for-new-round-of-peace-talks-with-russia"));
        var unknownTag = await editor.QueryAsync(Create(), new { input = new { title = "Unknown tag", standfirst = "S.", body = "B.", tagIds = new[] { Convert.ToBase64String("Tag:99999"u8.ToArray()) } } });

        Assert.Equal("SlugTakenError", taken["createArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("zelenskyy-calls-for-new-round-of-peace-talks-with-russia", taken["createArticle"]!["errors"]![0]!["slug"].Text());
        Assert.Equal("NotFoundError", unknownTag["createArticle"]!["errors"]![0]!["__typename"].Text());
    }

    [Fact]
    public async Task An_update_changes_only_the_fields_given_replaces_lists_whole_and_records_a_revision()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Partial update");
        var ukraine = (await editor.QueryAsync("""{ tag(slug: "ukraine") { id } }"""))["tag"]!["id"].Text();

        var data = await editor.QueryAsync(Step("updateArticle"), new
        {
            input = new { id = draft["id"].Text(), expectedVersion = 1, title = "  Partial update, revised  ", takeaways = new[] { "Three", "One" }, tagIds = new[] { ukraine }, analysis = "" },
        });

        var article = data["updateArticle"]!["article"]!;
        Assert.Null(data["updateArticle"]!["errors"]);
        Assert.Equal("Partial update, revised", article["title"].Text());
        Assert.Equal("A standfirst.", article["standfirst"].Text());
        Assert.Equal(["Three", "One"], article["takeaways"].Texts("text"));
        Assert.Equal(["Quoted."], article["quotes"].Texts("text"));
        Assert.Equal(["ukraine"], article["tags"].Texts("slug"));
        Assert.Equal(2, article["version"]!.GetValue<int>());

        var revisions = await editor.QueryAsync("""query ($slug: String!) { article(slug: $slug) { revisions { totalCount nodes { version author changedFields title } } } }""", new { slug = "partial-update" });
        var nodes = revisions["article"]!["revisions"]!["nodes"]!.AsArray();
        Assert.Equal([2, 1], nodes.Select(n => n!["version"]!.GetValue<int>()));
        Assert.Equal(["title", "takeaways", "tags"], nodes[0]!["changedFields"]!.AsArray().Select(f => f.Text()));
        Assert.Equal(["created"], nodes[1]!["changedFields"]!.AsArray().Select(f => f.Text()));
        Assert.StartsWith("Editor-", nodes[0]!["author"].Text());
    }

    [Fact]
    public async Task A_kicker_above_the_headline_is_written_bounded_cleared_and_revised_like_any_optional_text()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        const string create = "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id kicker } } }";
        const string update = """
            mutation ($input: UpdateArticleInput!) {
              updateArticle(input: $input) { article { kicker version revisions { nodes { changedFields } } } errors { ... on ValidationError { path } } }
            }
            """;

        var created = await editor.QueryAsync(create, new { input = new { kicker = "  Exclusive ", title = "Kicked off", standfirst = "S.", body = "B." } });
        var id = created["createArticle"]!["article"]!["id"].Text();
        var tooLong = await editor.QueryAsync(update, new { input = new { id, expectedVersion = 1, kicker = new string('k', 101) } });
        var cleared = await editor.QueryAsync(update, new { input = new { id, expectedVersion = 1, kicker = "" } });

        Assert.Equal("Exclusive", created["createArticle"]!["article"]!["kicker"].Text());
        Assert.Equal(["kicker"], tooLong["updateArticle"]!["errors"].Texts("path"));
        var article = cleared["updateArticle"]!["article"]!;
        Assert.Equal((null, 2), (article["kicker"].Text(), article["version"]!.GetValue<int>()));
        Assert.Equal(["kicker"], article["revisions"]!["nodes"]![0]!["changedFields"]!.AsArray().Select(f => f.Text()));
    }

    [Fact]
    public async Task A_write_based_on_an_old_version_is_refused_and_nothing_is_written()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Stale write");
        await editor.QueryAsync(Step("updateArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1, body = "Newer body." } });

        var data = await editor.QueryAsync(Step("updateArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1, body = "Stale body." } });

        var error = data["updateArticle"]!["errors"]![0]!;
        Assert.Equal("ConcurrencyError", error["__typename"].Text());
        Assert.Equal(1, error["expectedVersion"]!.GetValue<int>());
        Assert.Equal(2, error["currentVersion"]!.GetValue<int>());
        await using var db = api.CreateDbContext();
        Assert.Equal("Newer body.", (await db.Articles.SingleAsync(a => a.Slug == "stale-write")).Body);
    }

    [Fact]
    public async Task Of_editors_saving_the_same_version_at_the_same_moment_exactly_one_wins()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Race");
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.CreateClientWithRoleAsync(TokenRole.Editor)));

        var results = await Task.WhenAll(clients.Select((client, i) =>
            client.QueryAsync(Step("updateArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1, body = $"Body by editor {i}." } })));

        var winners = results.Where(r => r["updateArticle"]!["errors"] is null).ToList();
        var winner = Assert.Single(winners);
        Assert.All(results.Except(winners), r => Assert.Equal("ConcurrencyError", r["updateArticle"]!["errors"]![0]!["__typename"].Text()));
        await using var db = api.CreateDbContext();
        var stored = await db.Articles.SingleAsync(a => a.Slug == "race");
        Assert.Equal(2, stored.Version);
        Assert.Equal(winner["updateArticle"]!["article"]!["body"].Text(), stored.Body);
        Assert.Equal(2, await db.ArticleRevisions.CountAsync(r => r.ArticleId == stored.Id));
    }

    [Fact]
    public async Task A_scheduled_article_becomes_visible_by_itself_when_its_time_comes()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Scheduled story");
        var at = api.Clock.GetUtcNow().AddHours(3).UtcDateTime;

        var data = await editor.QueryAsync(Step("publishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1, at } });
        var reader = api.CreateGraphQLClient();
        var before = await reader.QueryAsync("""{ article(slug: "scheduled-story") { title } }""");
        api.Clock.Advance(TimeSpan.FromHours(4));
        var after = await reader.QueryAsync("""{ article(slug: "scheduled-story") { title } }""");
        api.Clock.Advance(TimeSpan.FromHours(-4));

        Assert.Equal("SCHEDULED", data["publishArticle"]!["article"]!["status"].Text());
        Assert.Null(before["article"]);
        Assert.Equal("Scheduled story", after["article"]!["title"].Text());
    }

    [Fact]
    public async Task Publishing_now_shows_the_article_and_unpublishing_hides_it_again()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Now and then");
        var reader = api.CreateGraphQLClient();

        await editor.QueryAsync(Step("publishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1 } });
        var visible = await reader.QueryAsync("""{ article(slug: "now-and-then") { title } }""");
        var unpublished = await editor.QueryAsync(Step("unpublishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 2 } });
        var hidden = await reader.QueryAsync("""{ article(slug: "now-and-then") { title } }""");
        var again = await editor.QueryAsync(Step("unpublishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 3 } });

        Assert.Equal("Now and then", visible["article"]!["title"].Text());
        Assert.Equal("DRAFT", unpublished["unpublishArticle"]!["article"]!["status"].Text());
        Assert.Null(hidden["article"]);
        Assert.Equal("InvalidStatusError", again["unpublishArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("DRAFT", again["unpublishArticle"]!["errors"]![0]!["status"].Text());
    }

    [Fact]
    public async Task An_absurd_publication_time_is_a_validation_error_on_at()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Far future");

        var data = await editor.QueryAsync(Step("publishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1, at = "2999-01-01T00:00:00Z" } });

        Assert.Equal("at", data["publishArticle"]!["errors"]![0]!["path"].Text());
    }

    [Fact]
    public async Task Archiving_hides_an_article_and_restoring_brings_it_back_as_a_draft()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Archive me");
        await editor.QueryAsync(Step("publishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1 } });
        var reader = api.CreateGraphQLClient();
        const string ReadAsReader = """
            query ($id: ID!) {
              article(slug: "archive-me") { title }
              node(id: $id) { id }
              articles(first: 50, where: { title: { eq: "Archive me" } }) { nodes { title } }
            }
            """;
        var whilePublished = await reader.QueryAsync(ReadAsReader, new { id = draft["id"].Text() });

        var archived = await editor.QueryAsync(Step("archiveArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 2 } });
        var whileArchived = await reader.QueryAsync(ReadAsReader, new { id = draft["id"].Text() });
        var publishArchived = await editor.QueryAsync(Step("publishArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 3 } });
        var restored = await editor.QueryAsync(Step("restoreArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 3 } });

        Assert.Equal("Archive me", whilePublished["article"]!["title"].Text());
        Assert.Equal(draft["id"].Text(), whilePublished["node"]!["id"].Text());
        Assert.Equal(["Archive me"], whilePublished["articles"]!["nodes"]!.AsArray().Select(n => n!["title"].Text()));
        Assert.Equal("ARCHIVED", archived["archiveArticle"]!["article"]!["status"].Text());
        Assert.Null(whileArchived["article"]);
        Assert.Null(whileArchived["node"]);
        Assert.Empty(whileArchived["articles"]!["nodes"]!.AsArray());
        Assert.Equal("InvalidStatusError", publishArchived["publishArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("DRAFT", restored["restoreArticle"]!["article"]!["status"].Text());
        Assert.Equal(4, restored["restoreArticle"]!["article"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Restoring_a_revision_brings_its_content_back_as_a_new_revision()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var draft = await CreateDraftAsync(editor, "Restorable");
        var id = draft["id"].Text();
        await editor.QueryAsync(Step("updateArticle"), new { input = new { id, expectedVersion = 1, title = "Restorable, rewritten", takeaways = Array.Empty<string>() } });
        var revisions = await editor.QueryAsync("""{ article(slug: "restorable") { revisions { nodes { id version } } } }""");
        var first = revisions["article"]!["revisions"]!["nodes"]!.AsArray().Single(n => n!["version"]!.GetValue<int>() == 1)!["id"].Text();

        var data = await editor.QueryAsync(Step("restoreArticleRevision"), new { input = new { articleId = id, revisionId = first, expectedVersion = 2 } });

        var article = data["restoreArticleRevision"]!["article"]!;
        Assert.Equal("Restorable", article["title"].Text());
        Assert.Equal(["One", "Two", "Three"], article["takeaways"].Texts("text"));
        Assert.Equal(3, article["version"]!.GetValue<int>());
        var history = await editor.QueryAsync("""{ article(slug: "restorable") { revisions { nodes { version title } } } }""");
        Assert.Equal(["Restorable", "Restorable, rewritten", "Restorable"], history["article"]!["revisions"]!["nodes"].Texts("title"));
    }

    [Fact]
    public async Task A_revision_is_a_node_that_editors_can_fetch_by_its_id_and_readers_cannot()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        await CreateDraftAsync(editor, "Revision as a node");
        var listed = await editor.QueryAsync("""{ article(slug: "revision-as-a-node") { revisions { nodes { id } } } }""");
        var revisionId = listed["article"]!["revisions"]!["nodes"]![0]!["id"].Text();
        const string byId = "query ($id: ID!) { node(id: $id) { __typename id ... on ArticleRevision { version title changedFields } } }";

        var forEditor = await editor.QueryAsync(byId, new { id = revisionId });
        var forReader = await api.CreateGraphQLClient().QueryAsync(byId, new { id = revisionId });

        Assert.Equal(("ArticleRevision", revisionId), (forEditor["node"]!["__typename"].Text(), forEditor["node"]!["id"].Text()));
        Assert.Equal(("Revision as a node", 1), (forEditor["node"]!["title"].Text(), forEditor["node"]!["version"]!.GetValue<int>()));
        Assert.Null(forReader["node"]);
    }

    [Fact]
    public async Task Only_admins_delete_permanently_and_read_the_audit_log()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);
        var draft = await CreateDraftAsync(editor, "Doomed");

        var byEditor = await editor.PostAsync(Step("deleteArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1 } });
        var byAdmin = await admin.QueryAsync(Step("deleteArticle"), new { input = new { id = draft["id"].Text(), expectedVersion = 1 } });
        var editorReadsAudit = await editor.PostAsync("{ auditLog { totalCount } }");
        var audit = await admin.QueryAsync("""{ auditLog(first: 50) { nodes { actor operation target outcome at } } }""");

        Assert.Equal("AUTH_NOT_AUTHORIZED", byEditor.FirstErrorCode);
        Assert.Null(byAdmin["deleteArticle"]!["errors"]);
        Assert.Null((await editor.QueryAsync("""{ article(slug: "doomed") { id } }"""))["article"]);
        Assert.Equal("AUTH_NOT_AUTHORIZED", editorReadsAudit.FirstErrorCode);
        var entries = audit["auditLog"]!["nodes"]!.AsArray();
        Assert.Contains(entries, e => e!["operation"].Text() == "deleteArticle" && e["outcome"].Text() == "succeeded" && e["actor"].Text()!.StartsWith("Admin-"));
        Assert.Contains(entries, e => e!["operation"].Text() == "deleteArticle" && e["outcome"].Text() == "denied: AUTH_NOT_AUTHORIZED");
    }

    [Fact]
    public async Task An_id_of_the_wrong_type_is_a_NotFoundError()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var tagId = (await editor.QueryAsync("""{ tag(slug: "ukraine") { id } }"""))["tag"]!["id"].Text();

        var data = await editor.QueryAsync(Step("archiveArticle"), new { input = new { id = tagId, expectedVersion = 1 } });

        Assert.Equal("NotFoundError", data["archiveArticle"]!["errors"]![0]!["__typename"].Text());
    }
}
