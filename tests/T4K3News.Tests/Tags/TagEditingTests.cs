using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Tags;

public sealed class TagEditingTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private const string CreateTag = """
        mutation ($input: CreateTagInput!) { createTag(input: $input) { tag { id slug name } errors { __typename ... on Error { message } ... on SlugTakenError { slug } ... on ValidationError { path } } } }
        """;

    private const string RenameTag = """
        mutation ($input: RenameTagInput!) { renameTag(input: $input) { tag { id slug name } errors { __typename ... on Error { message } } } }
        """;

    private const string MergeTags = """
        mutation ($input: MergeTagsInput!) { mergeTags(input: $input) { tag { slug articleCount } errors { __typename ... on Error { message } } } }
        """;

    private const string DeleteTag = """
        mutation ($input: DeleteTagInput!) { deleteTag(input: $input) { tag { slug } errors { __typename ... on Error { message } ... on TagInUseError { articleCount } } } }
        """;

    private const string UpdateTags = """
        mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { __typename ... on Error { message } } } }
        """;

    [Fact]
    public async Task An_editor_creates_a_tag_and_a_taken_or_malformed_slug_is_a_typed_error()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var created = await editor.QueryAsync(CreateTag, new { input = new { name = "Élections 2026" } });
        var taken = await editor.QueryAsync(CreateTag, new { input = new { name = "Another", slug = "elections-2026" } });
        var malformed = await editor.QueryAsync(CreateTag, new { input = new { name = "", slug = "Bad Slug" } });

        Assert.Equal("elections-2026", created["createTag"]!["tag"]!["slug"].Text());
        Assert.Equal("SlugTakenError", taken["createTag"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(["name", "slug"], malformed["createTag"]!["errors"].Texts("path"));
    }

    [Fact]
    public async Task A_renamed_tag_is_still_found_by_its_old_slug()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var tag = (await editor.QueryAsync(CreateTag, new { input = new { name = "Old name" } }))["createTag"]!["tag"]!;

        var renamed = await editor.QueryAsync(RenameTag, new { input = new { id = tag["id"].Text(), name = "New name", slug = "new-name" } });
        var byOldSlug = await api.CreateGraphQLClient().QueryAsync("""{ tag(slug: "old-name") { slug name } }""");

        Assert.Equal("new-name", renamed["renameTag"]!["tag"]!["slug"].Text());
        Assert.Equal("new-name", byOldSlug["tag"]!["slug"].Text());
    }

    [Fact]
    public async Task Merging_tags_keeps_every_articles_tags_and_the_old_slug_leads_to_the_target()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var ids = await editor.QueryAsync("""{ odd: tag(slug: "odd") { id } world: tag(slug: "world") { id } }""");
        await using var before = api.CreateDbContext();
        var taggedBefore = await before.ArticleTags.Where(t => t.Tag.Slug == "odd" || t.Tag.Slug == "world").Select(t => t.ArticleId).Distinct().CountAsync();
        var storyOne = await before.Articles.SingleAsync(a => a.Slug == "story-01");

        var merged = await editor.QueryAsync(MergeTags, new { input = new { sourceTagId = ids["odd"]!["id"].Text(), targetTagId = ids["world"]!["id"].Text() } });

        Assert.Null(merged["mergeTags"]!["errors"]);
        await using var after = api.CreateDbContext();
        Assert.False(await after.Tags.AnyAsync(t => t.Slug == "odd"));
        Assert.Equal(taggedBefore, await after.ArticleTags.CountAsync(t => t.Tag.Slug == "world"));
        Assert.Equal("world", (await api.CreateGraphQLClient().QueryAsync("""{ tag(slug: "odd") { slug } }"""))["tag"]!["slug"].Text());
        var revision = await after.ArticleRevisions.SingleAsync(r => r.ArticleId == storyOne.Id);
        Assert.Equal(storyOne.Version + 1, revision.Version);
        Assert.Equal(["tags"], revision.ChangedFields);
    }

    [Fact]
    public async Task Merging_or_force_deleting_a_tag_is_a_versioned_write_to_each_article_it_was_on()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var vocabulary = await editor.QueryAsync(CreateTag, new { input = new { name = "Briefly used" } });
        var briefly = vocabulary["createTag"]!["tag"]!["id"].Text();
        var story = await editor.QueryAsync("""{ article(slug: "story-07") { id version tags { id } } }""");
        var articleId = story["article"]!["id"].Text();
        var tagIds = story["article"]!["tags"].Texts("id").Append(briefly).ToArray();
        var tagged = await editor.QueryAsync(UpdateTags, new { input = new { id = articleId, expectedVersion = story["article"]!["version"]!.GetValue<int>(), tagIds } });
        var versionBeforeDelete = tagged["updateArticle"]!["article"]!["version"]!.GetValue<int>();

        var deleted = await editor.QueryAsync(DeleteTag, new { input = new { id = briefly, force = true } });
        var staleSave = await editor.QueryAsync(UpdateTags, new { input = new { id = articleId, expectedVersion = versionBeforeDelete, tagIds } });
        var history = await editor.QueryAsync("""{ article(slug: "story-07") { version tags { id } revisions { nodes { version changedFields } } } }""");

        Assert.Null(deleted["deleteTag"]!["errors"]);
        Assert.Equal("ConcurrencyError", staleSave["updateArticle"]!["errors"]![0]!["__typename"].Text());
        var article = history["article"]!;
        Assert.Equal(versionBeforeDelete + 1, article["version"]!.GetValue<int>());
        Assert.DoesNotContain(briefly, article["tags"].Texts("id"));
        var latest = article["revisions"]!["nodes"]!.AsArray().MaxBy(r => r!["version"]!.GetValue<int>())!;
        Assert.Equal(versionBeforeDelete + 1, latest["version"]!.GetValue<int>());
        Assert.Equal(["tags"], latest["changedFields"]!.AsArray().Select(field => field!.GetValue<string>()));
    }

    [Fact]
    public async Task A_tag_in_use_is_deleted_only_when_forced()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var even = (await editor.QueryAsync("""{ tag(slug: "even") { id } }"""))["tag"]!["id"].Text();

        var refused = await editor.QueryAsync(DeleteTag, new { input = new { id = even } });
        var forced = await editor.QueryAsync(DeleteTag, new { input = new { id = even, force = true } });

        Assert.Equal("TagInUseError", refused["deleteTag"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(30, refused["deleteTag"]!["errors"]![0]!["articleCount"]!.GetValue<int>());
        Assert.Equal("even", forced["deleteTag"]!["tag"]!["slug"].Text());
        Assert.Null((await editor.QueryAsync("""{ tag(slug: "even") { id } }"""))["tag"]);
    }

    [Fact]
    public async Task Tags_cannot_be_changed_anonymously()
    {
        var response = await api.CreateGraphQLClient().PostAsync(CreateTag, new { input = new { name = "Sneaky" } });

        Assert.Equal("AUTH_NOT_AUTHENTICATED", response.FirstErrorCode);
    }
}
