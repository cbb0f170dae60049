using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Audit;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>
/// Every client text ends up in a column of bounded length: a value that does not fit, or that PostgreSQL cannot store,
/// is a ValidationError naming it and nothing is written; the audit entry of any write always fits its columns.
/// </summary>
public sealed class BoundedInputTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string Errors = "errors { __typename ... on Error { message } ... on ValidationError { path } }";
    private const string ErrorsWithIds = "errors { __typename ... on Error { message } ... on ValidationError { path } ... on NotFoundError { id } }";

    private const string CreateTag = $$"""
        mutation ($input: CreateTagInput!) { createTag(input: $input) { tag { slug } {{Errors}} } }
        """;

    private const string RenameTag = $$"""
        mutation ($input: RenameTagInput!) { renameTag(input: $input) { tag { slug } {{Errors}} } }
        """;

    private const string MergeTags = $$"""
        mutation ($input: MergeTagsInput!) { mergeTags(input: $input) { tag { slug } {{ErrorsWithIds}} } }
        """;

    private const string CreateArticle = $$"""
        mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { slug title version } {{ErrorsWithIds}} } }
        """;

    private const string CreateApiToken = $$"""
        mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { name } {{Errors}} } }
        """;

    private static IReadOnlyList<(string? Type, string? Path)> TypedErrors(System.Text.Json.Nodes.JsonNode payload) =>
        payload["errors"]!.AsArray().Select(e => (e!["__typename"].Text(), e["path"]?.GetValue<string>())).ToList();

    private async Task<AuditEntry> LatestAuditEntryAsync(string operation)
    {
        await using var db = api.CreateDbContext();
        return await db.AuditEntries.Where(e => e.Operation == operation).OrderByDescending(e => e.Id).FirstAsync();
    }

    [Fact]
    public async Task A_tag_name_or_slug_longer_than_its_column_is_a_ValidationError_and_no_tag_is_stored()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var ukraine = (await editor.QueryAsync("""{ tag(slug: "ukraine") { id } }"""))["tag"]!["id"].Text();

        var longName = await editor.QueryAsync(CreateTag, new { input = new { name = new string('n', 5_000) } });
        var longSlug = await editor.QueryAsync(CreateTag, new { input = new { name = "Fits", slug = string.Join('-', Enumerable.Repeat("word", 30)) } });
        var longRename = await editor.QueryAsync(RenameTag, new { input = new { id = ukraine, name = new string('u', 101) } });

        // A slug derived from the name is cut to fit: only the name is refused.
        Assert.Equal([("ValidationError", "name")], TypedErrors(longName["createTag"]!));
        Assert.Equal([("ValidationError", "slug")], TypedErrors(longSlug["createTag"]!));
        Assert.Equal([("ValidationError", "name")], TypedErrors(longRename["renameTag"]!));
        await using var db = api.CreateDbContext();
        Assert.False(await db.Tags.AnyAsync(t => t.Name.Length > 100 || t.Name == "Fits"));
        Assert.Equal("Ukraine", (await db.Tags.SingleAsync(t => t.Slug == "ukraine")).Name);
        var audited = await db.AuditEntries.SingleAsync(e => e.Operation == "createTag" && e.Target!.StartsWith("nnn"));
        Assert.Equal(("refused: ValidationError", new string('n', 300)), (audited.Outcome, audited.Target));
    }

    [Fact]
    public async Task Merging_tags_named_by_ids_longer_than_any_column_is_a_NotFoundError()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (source, target) = (new string('s', 2_000), new string('t', 2_000));

        var merged = await editor.QueryAsync(MergeTags, new { input = new { sourceTagId = source, targetTagId = target } });

        Assert.Equal([("NotFoundError", null), ("NotFoundError", null)], TypedErrors(merged["mergeTags"]!));
        Assert.Equal([source, target], merged["mergeTags"]!["errors"].Texts("id"));
        var audited = await LatestAuditEntryAsync("mergeTags");
        Assert.Equal(("refused: NotFoundError", new string('s', 300)), (audited.Outcome, audited.Target));
    }

    [Fact]
    public async Task A_title_that_fits_once_trimmed_is_created_and_its_long_audit_target_does_not_turn_the_success_into_an_error()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var padding = new string(' ', 60);
        var title = padding + "Long headline" + new string('!', 287) + padding;

        var created = await editor.QueryAsync(CreateArticle, new { input = new { title, standfirst = "S.", body = "B." } });

        Assert.Null(created["createArticle"]!["errors"]);
        var article = created["createArticle"]!["article"]!;
        Assert.Equal(("long-headline", 300, 1), (article["slug"].Text(), article["title"].Text()!.Length, article["version"]!.GetValue<int>()));
        await using var db = api.CreateDbContext();
        Assert.Equal(1, await db.Articles.CountAsync(a => a.Slug == "long-headline"));
        var audited = await LatestAuditEntryAsync("createArticle");
        Assert.Equal(("succeeded", padding + "Long headline" + new string('!', 227)), (audited.Outcome, audited.Target));
    }

    [Fact]
    public async Task A_refusal_for_many_reasons_is_audited_with_all_of_them()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var unknownTags = Enumerable.Range(100_000, 51).Select(id => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"Tag:{id}"))).ToArray();

        var refused = await editor.QueryAsync(CreateArticle, new
        {
            input = new { title = "Taken", slug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia", standfirst = "S.", body = "B.", tagIds = unknownTags },
        });

        var types = refused["createArticle"]!["errors"]!.AsArray().Select(e => e!["__typename"].Text()).Distinct();
        Assert.Equal(["NotFoundError", "ValidationError", "SlugTakenError"], types);
        var audited = await LatestAuditEntryAsync("createArticle");
        Assert.Equal("refused: NotFoundError, ValidationError, SlugTakenError", audited.Outcome);
    }

    [Fact]
    public async Task Error_details_longer_than_their_column_are_cut_between_characters_never_inside_one()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var emojiId = string.Concat(Enumerable.Repeat("😀", 2_100));

        var refused = await editor.QueryAsync(CreateArticle, new { input = new { title = "Emoji tag", standfirst = "S.", body = "B.", tagIds = new[] { emojiId } } });

        Assert.Equal([("NotFoundError", null)], TypedErrors(refused["createArticle"]!));
        var audited = await LatestAuditEntryAsync("createArticle");
        Assert.Equal(("refused: NotFoundError", 3_999), (audited.Outcome, audited.Details!.Length));
        Assert.Equal("'" + string.Concat(Enumerable.Repeat("😀", 1_999)), audited.Details);
    }

    [Fact]
    public async Task A_token_name_longer_than_its_column_is_a_ValidationError()
    {
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);

        var created = await admin.QueryAsync(CreateApiToken, new { input = new { name = new string('n', 500), role = "EDITOR" } });

        Assert.Equal([("ValidationError", "name")], TypedErrors(created["createApiToken"]!));
        Assert.Null(created["createApiToken"]!["apiToken"]);
        await using var db = api.CreateDbContext();
        Assert.False(await db.ApiTokens.AnyAsync(t => t.Name.StartsWith("nnnn")));
    }

    [Fact]
    public async Task Text_that_PostgreSQL_cannot_store_is_refused_before_anything_runs_and_nothing_is_stored()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        // A JSON serializer repairs half a surrogate pair on its way out, but a GraphQL string literal can still carry one.
        const string createWithHalfPair = $$"""
            mutation { createArticle(input: { title: "Half pair", standfirst: "S.", body: "B.", takeaways: ["Fine", "Half \uD83D pair"] }) { article { slug } {{ErrorsWithIds}} } }
            """;
        var article = await editor.PostAsync(createWithHalfPair);
        var tag = await editor.PostAsync(CreateTag, new { input = new { name = "Null\0tag", slug = "null-tag" } });
        var revoke = await editor.PostAsync("mutation ($name: String!) { revokeApiToken(input: { name: $name }) { name } }", new { name = "a\0b" });

        Assert.Equal("INVALID_TEXT", article.FirstErrorCode);
        Assert.Equal("INVALID_TEXT", tag.FirstErrorCode);
        Assert.Equal("INVALID_TEXT", revoke.FirstErrorCode);
        await using var db = api.CreateDbContext();
        Assert.False(await db.Tags.AnyAsync(t => t.Slug == "null-tag"));
        Assert.False(await db.Articles.AnyAsync(a => a.Slug == "half-pair"));
    }
}
