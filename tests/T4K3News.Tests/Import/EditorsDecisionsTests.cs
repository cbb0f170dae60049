using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.Content.Import;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Import;

/// <summary>What editors delete or merge stays deleted or merged, whatever the seed documents still say, import after import.</summary>
public sealed class EditorsDecisionsTests(ContentApi api) : IClassFixture<ContentApi>, IDisposable
{
    private const string SeedFile = "000_0971fd6bffd4bb91.txt";
    private const string SeedSlug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";
    private readonly string folder = Directory.CreateTempSubdirectory("t4k3news-seeds-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task An_article_deleted_by_an_editor_is_not_recreated_by_the_next_import_nor_by_a_restart()
    {
        var admin = api.CreateGraphQLClient((await api.Services.GetRequiredService<ApiTokens>().CreateAsync("desk-admin", TokenRole.Admin, null, default)).Secret);
        var article = (await admin.QueryAsync("query ($slug: String!) { article(slug: $slug) { id version } }", new { slug = SeedSlug }))["article"]!;

        var deleted = await admin.QueryAsync("mutation ($input: DeleteArticleInput!) { deleteArticle(input: $input) { errors { __typename } } }",
            new { input = new { id = article["id"].Text(), expectedVersion = article["version"]!.GetValue<int>() } });
        var report = await api.CreateImporter().ImportFolderAsync(RepositoryPaths.Seeds, default);
        using var restarted = api.WithWebHostBuilder(_ => { });
        using var restartedClient = restarted.CreateClient();
        var afterRestart = await new GraphQLClient(restartedClient).QueryAsync("query ($slug: String!) { article(slug: $slug) { id } }", new { slug = SeedSlug });

        Assert.Null(deleted["deleteArticle"]!["errors"]);
        var skipped = report.Documents.Single(d => d.File == SeedFile);
        Assert.Equal((ImportOutcome.Skipped, SeedSlug, "deleted in the CMS by desk-admin; not re-created"), (skipped.Outcome, skipped.Slug, skipped.Message));
        Assert.Null(afterRestart["article"]);
        await using var db = api.CreateDbContext();
        Assert.False(await db.Articles.AnyAsync(a => a.SourceFile == SeedFile || a.Slug == SeedSlug));
    }

    [Fact]
    public async Task Tags_merged_or_deleted_by_editors_do_not_come_back_with_the_next_import_nor_a_restart()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var ids = (await editor.QueryAsync("""{ peace: tag(slug: "peace-talks") { id } diplomacy: tag(slug: "diplomacy") { id } sanctions: tag(slug: "sanctions") { id } }"""));
        await editor.QueryAsync("mutation ($input: MergeTagsInput!) { mergeTags(input: $input) { errors { __typename } } }",
            new { input = new { sourceTagId = ids["peace"]!["id"].Text(), targetTagId = ids["diplomacy"]!["id"].Text() } });
        await editor.QueryAsync("mutation ($input: DeleteTagInput!) { deleteTag(input: $input) { errors { __typename } } }",
            new { input = new { id = ids["sanctions"]!["id"].Text(), force = true } });
        File.Copy(Path.Combine(RepositoryPaths.Seeds, SeedImporter.TagVocabularyFile), Path.Combine(folder, SeedImporter.TagVocabularyFile));
        File.WriteAllText(Path.Combine(folder, "100_new_sanctions.txt"),
            "T4K3.news\nBrussels weighs new sanctions as peace talks stall\nUkraine asks for more pressure.\nJuly 21, 2025 at 10:00 AM\nA body.\n");

        var report = await api.CreateImporter().ImportFolderAsync(folder, default);
        using var restarted = api.WithWebHostBuilder(_ => { });
        using var restartedClient = restarted.CreateClient();
        var reader = new GraphQLClient(restartedClient);
        var imported = await reader.QueryAsync("""{ article(slug: "brussels-weighs-new-sanctions-as-peace-talks-stall") { tags { slug } } }""");
        var oldSlugs = await reader.QueryAsync("""{ peace: tag(slug: "peace-talks") { slug } sanctions: tag(slug: "sanctions") { slug } }""");

        Assert.Equal(ImportOutcome.Created, Assert.Single(report.Documents).Outcome);
        Assert.Equal(["diplomacy", "european-union", "ukraine"], imported["article"]!["tags"].Texts("slug").Order());
        Assert.Equal("diplomacy", oldSlugs["peace"]!["slug"].Text());
        Assert.Null(oldSlugs["sanctions"]);
        await using var db = api.CreateDbContext();
        Assert.False(await db.Tags.AnyAsync(t => t.Slug == "peace-talks" || t.Slug == "sanctions"));
    }
}
