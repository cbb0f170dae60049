using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;
using T4K3News.Content.Import;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Import;

public sealed class SeedImportTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>, IAsyncLifetime, IDisposable
{
    private const string SeedSlug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";
    private readonly string folder = Directory.CreateTempSubdirectory("t4k3news-seeds-").FullName;

    public Task InitializeAsync() => api.ClearContentAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Importing_the_seeds_creates_a_published_article_per_document_with_its_tags_and_related_links()
    {
        CopySeeds();

        var report = await api.CreateImporter().ImportFolderAsync(folder, default);

        Assert.Equal(4, report.Count(ImportOutcome.Created));
        Assert.Empty(report.Warnings);
        await using var db = api.CreateDbContext();
        Assert.Equal(4, await db.Articles.CountAsync(a => a.Status == ArticleStatus.Published));
        var grid = await db.Articles.Include(a => a.RelatedArticles).ThenInclude(r => r.Related).SingleAsync(a => a.Slug == "kyiv-begins-winter-power-grid-upgrade");
        Assert.Equal([SeedSlug, "baltic-ferry-crews-strike-over-new-rota-rules"], grid.RelatedArticles.OrderBy(r => r.Position).Select(r => r.Related.Slug));
        var seedTags = await db.ArticleTags.Where(t => t.ArticleId == db.Articles.Single(a => a.Slug == SeedSlug).Id).Select(t => t.Tag.Slug).ToListAsync();
        Assert.Equal(["diplomacy", "european-union", "peace-talks", "russia", "sanctions", "ukraine"], seedTags.Order());
    }

    [Fact]
    public async Task Importing_the_same_folder_twice_changes_nothing()
    {
        CopySeeds();
        await api.CreateImporter().ImportFolderAsync(folder, default);
        var before = await Snapshot();

        var second = await api.CreateImporter().ImportFolderAsync(folder, default);

        Assert.Equal(4, second.Count(ImportOutcome.Unchanged));
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task A_changed_document_updates_its_article_and_bumps_the_version()
    {
        CopySeeds();
        await api.CreateImporter().ImportFolderAsync(folder, default);
        var path = Path.Combine(folder, "001_baltic_ferry_strike.txt");
        File.WriteAllText(path, File.ReadAllText(path).Replace("Both sides are expected back at the table on Monday.", "Talks resume on Tuesday."));

        var report = await api.CreateImporter().ImportFolderAsync(folder, default);

        Assert.Equal(ImportOutcome.Updated, report.Documents.Single(d => d.File == "001_baltic_ferry_strike.txt").Outcome);
        await using var db = api.CreateDbContext();
        var article = await db.Articles.SingleAsync(a => a.Slug == "baltic-ferry-crews-strike-over-new-rota-rules");
        Assert.Equal("Talks resume on Tuesday.", article.ClosingLine);
        Assert.Equal(2, article.Version);
    }

    [Fact]
    public async Task An_article_edited_in_the_CMS_is_skipped_and_reported_not_overwritten()
    {
        CopySeeds();
        await api.CreateImporter().ImportFolderAsync(folder, default);
        await using (var db = api.CreateDbContext())
        {
            var article = await db.Articles.SingleAsync(a => a.Slug == SeedSlug);
            article.Title = "Edited by an editor";
            article.Version++;
            await db.SaveChangesAsync();
        }

        var path = Path.Combine(folder, "000_0971fd6bffd4bb91.txt");
        File.WriteAllText(path, File.ReadAllText(path) + "\n");
        var report = await api.CreateImporter().ImportFolderAsync(folder, default);

        var skipped = report.Documents.Single(d => d.File == "000_0971fd6bffd4bb91.txt");
        Assert.Equal(ImportOutcome.Skipped, skipped.Outcome);
        Assert.Contains("edited in the CMS", skipped.Message);
        await using var check = api.CreateDbContext();
        Assert.Equal("Edited by an editor", (await check.Articles.SingleAsync(a => a.Slug == SeedSlug)).Title);
    }

    [Fact]
    public async Task A_malformed_document_is_reported_with_file_and_line_and_the_others_still_import()
    {
        CopySeeds();
        File.WriteAllText(Path.Combine(folder, "004_broken.txt"), "T4K3.news\n\nA title\n\nA standfirst.\n\nsometime last week\n\nBody.\n");

        var report = await api.CreateImporter().ImportFolderAsync(folder, default);

        var failed = Assert.Single(report.Documents, d => d.Outcome == ImportOutcome.Failed);
        Assert.Equal("004_broken.txt", failed.File);
        Assert.Equal(7, failed.Line);
        Assert.StartsWith("failed    004_broken.txt:7: Expected a publication time", failed.ToString());
        Assert.Equal(4, report.Count(ImportOutcome.Created));
    }

    [Fact]
    public async Task A_document_that_breaks_the_validation_rules_is_refused_whole()
    {
        File.WriteAllText(Path.Combine(folder, "too_long.txt"),
            $"T4K3.news\n{new string('x', ArticleLimits.Title + 1)}\nStandfirst.\nJuly 20, 2025 at 11:06 AM\nBody.\n");

        var report = await api.CreateImporter().ImportFolderAsync(folder, default);

        Assert.Contains("title: At most 300 characters", Assert.Single(report.Documents).Message);
        await using var db = api.CreateDbContext();
        Assert.Equal(0, await db.Articles.CountAsync());
        Assert.Equal(0, await db.Publications.CountAsync());
    }

    [Fact]
    public async Task Publication_times_are_read_in_the_configured_time_zone()
    {
        CopySeeds("000_0971fd6bffd4bb91.txt");
        var importer = new SeedImporter(
            api.Services.GetRequiredService<IDbContextFactory<T4K3News.Content.ContentDbContext>>(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new ImportOptions { TimeZone = "Europe/Kyiv" }));

        await importer.ImportFolderAsync(folder, default);

        await using var db = api.CreateDbContext();
        Assert.Equal(new DateTime(2025, 7, 20, 8, 6, 0, DateTimeKind.Utc), (await db.Articles.SingleAsync()).PublishedAt);
    }

    [Fact]
    public async Task The_import_command_prints_what_it_created_and_then_that_nothing_changed()
    {
        CopySeeds();
        var first = await RunCommandAsync(folder);
        var second = await RunCommandAsync(folder);

        Assert.Contains("created   000_0971fd6bffd4bb91.txt -> zelenskyy-calls-for-new-round-of-peace-talks-with-russia", first);
        Assert.Contains("4 created, 0 updated, 0 unchanged, 0 skipped, 0 failed.", first);
        Assert.Contains("0 created, 0 updated, 4 unchanged, 0 skipped, 0 failed.", second);
    }

    private async Task<string> RunCommandAsync(string seeds)
    {
        var (exitCode, output) = await ApiCommand.RunAsync(api.ConnectionString, "import", seeds);
        Assert.True(exitCode == 0, $"exit {exitCode}: {output}");
        return output;
    }

    private void CopySeeds(params string[] only)
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Seeds))
        {
            if (only.Length == 0 || only.Contains(Path.GetFileName(file)) || file.EndsWith("tags.json"))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }

    private async Task<string> Snapshot()
    {
        await using var db = api.CreateDbContext();
        var articles = await db.Articles.OrderBy(a => a.Id).Select(a => $"{a.Id}:{a.Slug}:{a.Version}:{a.UpdatedAt:O}:{a.SourceHash}").ToListAsync();
        var parts = (await db.Articles.ToListAsync()).Sum(a => a.Takeaways.Count + a.Quotes.Count + a.Highlights.Count + a.Callouts.Count);
        var links = await db.ArticleTags.CountAsync() + await db.RelatedArticles.CountAsync() + await db.Tags.CountAsync();
        return $"{string.Join("|", articles)} parts={parts} links={links}";
    }
}
