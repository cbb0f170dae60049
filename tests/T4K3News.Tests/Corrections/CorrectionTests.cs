using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Caching;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Corrections;

/// <summary>Corrections on the seed articles (imported, so also: imported articles carry no byline).</summary>
public sealed class CorrectionTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string AddCorrection = """
        mutation ($input: AddCorrectionInput!) {
          addCorrection(input: $input) {
            article { version updatedAt corrections { kind text createdAt } }
            errors { __typename ... on Error { message } ... on ValidationError { path } ... on ConcurrencyError { expectedVersion currentVersion } ... on NotFoundError { id } }
          }
        }
        """;

    private async Task<(string Id, string Slug, int Version, DateTime UpdatedAt)> NewPublishedArticleAsync(GraphQLClient editor, string title)
    {
        var created = await editor.QueryAsync("mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug version } errors { __typename } } }",
            new { input = new { title, standfirst = "S.", body = "B." } });
        var article = created["createArticle"]!["article"]!;
        var published = await editor.QueryAsync("mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { article { version updatedAt } errors { __typename } } }",
            new { input = new { id = article["id"].Text(), expectedVersion = article["version"]!.GetValue<int>() } });
        var after = published["publishArticle"]!["article"]!;
        return (article["id"].Text()!, article["slug"].Text()!, after["version"]!.GetValue<int>(), after["updatedAt"]!.GetValue<DateTime>());
    }

    [Fact]
    public async Task A_correction_is_a_versioned_write_with_a_revision_and_corrections_read_oldest_first()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (id, slug, version, updatedAt) = await NewPublishedArticleAsync(editor, "Corrected story");

        var first = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version, kind = "CORRECTION", text = "  An earlier version misspelled the minister's name.  " } });
        var second = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version + 1, kind = "UPDATE", text = "The vote was held on Tuesday." } });
        var read = await api.CreateGraphQLClient().QueryAsync($$"""{ article(slug: "{{slug}}") { version corrections { kind text createdAt } } }""");

        Assert.Null(first["addCorrection"]!["errors"]);
        var article = second["addCorrection"]!["article"]!;
        Assert.Equal(version + 2, article["version"]!.GetValue<int>());
        Assert.True(article["updatedAt"]!.GetValue<DateTime>() > updatedAt, $"{article["updatedAt"]} after {updatedAt:O}");
        Assert.Equal(["CORRECTION", "UPDATE"], article["corrections"].Texts("kind"));
        Assert.Equal(["An earlier version misspelled the minister's name.", "The vote was held on Tuesday."], article["corrections"].Texts("text"));
        var times = article["corrections"]!.AsArray().Select(c => c!["createdAt"]!.GetValue<DateTime>()).ToList();
        Assert.True(times[0] <= times[1] && times[1] <= article["updatedAt"]!.GetValue<DateTime>(), article.ToJsonString());
        Assert.Equal(article["corrections"]!.ToJsonString(), read["article"]!["corrections"]!.ToJsonString());

        await using var db = api.CreateDbContext();
        var articleKey = await db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync();
        var revisions = await db.ArticleRevisions.Where(r => r.ArticleId == articleKey).OrderBy(r => r.Version).ToListAsync();
        Assert.Equal([["corrections"], ["corrections"]], revisions.TakeLast(2).Select(r => r.ChangedFields));
        Assert.Equal(2, JsonNode.Parse(revisions[^1].Snapshot)!["corrections"]!.AsArray().Count);
        Assert.Equal("Correction", JsonNode.Parse(revisions[^1].Snapshot)!["corrections"]![0]!["kind"].Text());
    }

    [Fact]
    public async Task Readers_see_corrections_once_the_article_is_published_whether_or_not_the_read_is_planned()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var created = await editor.QueryAsync("mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug version } } }",
            new { input = new { title = "Draft with a clarification", standfirst = "S.", body = "B." } });
        var (id, slug) = (created["createArticle"]!["article"]!["id"].Text(), created["createArticle"]!["article"]!["slug"].Text());
        var clarified = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = 1, kind = "CLARIFICATION", text = "Clarified." } });
        var reader = api.CreateGraphQLClient();
        var hidden = await reader.QueryAsync($$"""{ article(slug: "{{slug}}") { corrections { text } } }""");
        var editorsView = await editor.QueryAsync($$"""{ article(slug: "{{slug}}") { corrections { kind text } } }""");

        await editor.QueryAsync("mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { errors { __typename } } }", new { input = new { id, expectedVersion = 2 } });
        var textsOnly = await reader.QueryAsync($$"""{ article(slug: "{{slug}}") { corrections { text } } }""");
        var whole = await reader.QueryAsync($$"""{ article(slug: "{{slug}}") { corrections { kind text createdAt } } }""");
        var listed = await reader.QueryAsync($$"""{ articles(where: { slug: { eq: "{{slug}}" } }) { nodes { corrections { text } } } }""");

        Assert.Null(clarified["addCorrection"]!["errors"]);
        Assert.Null(hidden["article"]);
        Assert.Equal(["CLARIFICATION"], editorsView["article"]!["corrections"].Texts("kind"));
        Assert.Equal(["Clarified."], textsOnly["article"]!["corrections"].Texts("text"));
        Assert.Equal(["Clarified."], whole["article"]!["corrections"].Texts("text"));
        Assert.Equal(["CLARIFICATION"], whole["article"]!["corrections"].Texts("kind"));
        Assert.Equal(["Clarified."], listed["articles"]!["nodes"]![0]!["corrections"].Texts("text"));
    }

    [Fact]
    public async Task A_stale_version_an_unknown_article_an_empty_or_long_text_and_one_correction_too_many_are_refused_without_a_write()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (id, slug, version, _) = await NewPublishedArticleAsync(editor, "Much corrected story");

        var stale = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version - 1, kind = "CORRECTION", text = "Late." } });
        var unknown = await editor.QueryAsync(AddCorrection, new { input = new { articleId = "QXJ0aWNsZTo5OTk5OTk=", expectedVersion = 1, kind = "CORRECTION", text = "Nowhere." } });
        var empty = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version, kind = "CORRECTION", text = "   " } });
        var tooLong = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version, kind = "CORRECTION", text = new string('x', 2_001) } });
        var current = version;
        for (var i = 0; i < 50; i++)
        {
            var added = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = current, kind = "UPDATE", text = $"Update {i}." } });
            Assert.Null(added["addCorrection"]!["errors"]);
            current++;
        }

        var fiftyFirst = await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = current, kind = "UPDATE", text = "One too many." } });

        Assert.Equal("ConcurrencyError", stale["addCorrection"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(version, stale["addCorrection"]!["errors"]![0]!["currentVersion"]!.GetValue<int>());
        Assert.Equal("NotFoundError", unknown["addCorrection"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(["text"], empty["addCorrection"]!["errors"].Texts("path"));
        Assert.Equal(["text"], tooLong["addCorrection"]!["errors"].Texts("path"));
        Assert.Equal(["articleId"], fiftyFirst["addCorrection"]!["errors"].Texts("path"));
        var article = (await editor.QueryAsync($$"""{ article(slug: "{{slug}}") { version corrections { text } } }"""))["article"]!;
        Assert.Equal(current, article["version"]!.GetValue<int>());
        Assert.Equal(50, article["corrections"]!.AsArray().Count);
    }

    [Fact]
    public async Task Only_editors_add_corrections()
    {
        var response = await api.CreateGraphQLClient().PostAsync(AddCorrection, new { input = new { articleId = "QXJ0aWNsZTox", expectedVersion = 1, kind = "CORRECTION", text = "Sneaky." } });

        Assert.Equal("AUTH_NOT_AUTHENTICATED", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_cached_anonymous_article_page_shows_a_new_correction_at_once()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (id, slug, version, _) = await NewPublishedArticleAsync(editor, "Cached and corrected");
        var page = $$"""{ article(slug: "{{slug}}") { title corrections { text } } }""";
        await Newsroom.AskAsync(api, page);
        var (_, cachedStatements) = await Newsroom.AskAsync(api, page);

        await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version, kind = "CORRECTION", text = "Fixed a date." } });
        var (afterwards, _) = await Newsroom.AskAsync(api, page);

        Assert.Equal(0, cachedStatements);
        Assert.Equal(["Fixed a date."], afterwards!["article"]!["corrections"].Texts("text"));
    }

    [Fact]
    public async Task Imported_articles_carry_no_byline_and_no_correction()
    {
        var data = await api.CreateGraphQLClient().QueryAsync("{ articles(first: 50) { nodes { authors { role } } } }");

        await using var db = api.CreateDbContext();
        var imported = await db.Articles.CountAsync(a => a.SourceFile != null);
        Assert.True(imported > 0);
        Assert.False(await db.ArticleBylines.AnyAsync(b => db.Articles.Any(a => a.Id == b.ArticleId && a.SourceFile != null)));
        Assert.All(data["articles"]!["nodes"]!.AsArray(), a => Assert.Empty(a!["authors"]!.AsArray()));
    }

    [Fact]
    public async Task Editors_subscribed_to_the_article_hear_of_the_correction()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        var editor = api.CreateGraphQLClient(token);
        var (id, _, version, _) = await NewPublishedArticleAsync(editor, "Corrected live");
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("1", "subscription ($id: ID) { articleChanged(id: $id) { version changedFields article { corrections { text } } } }", new { id });
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync())?["type"].Text());

        await editor.QueryAsync(AddCorrection, new { input = new { articleId = id, expectedVersion = version, kind = "UPDATE", text = "Heard live." } });
        var change = (await socket.ReceiveAsync())!["payload"]!["data"]!["articleChanged"]!;

        Assert.Equal(version + 1, change["version"]!.GetValue<int>());
        Assert.Equal(["corrections"], change["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["Heard live."], change["article"]!["corrections"].Texts("text"));
    }
}
