using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

/// <summary>The default publication is made by whichever write needs it first, however many arrive at once.</summary>
public sealed class DefaultPublicationTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>, IAsyncLifetime
{
    private const string CreateArticle = """
        mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { slug } errors { __typename ... on Error { message } } } }
        """;

    public Task InitializeAsync() => api.ClearContentAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Editors_creating_the_first_articles_of_an_empty_database_at_the_same_moment_all_succeed_in_one_publication()
    {
        var editors = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.CreateClientWithRoleAsync(TokenRole.Editor)));

        var responses = await Task.WhenAll(editors.Select((editor, i) =>
            editor.PostAsync(CreateArticle, new { input = new { title = $"First story {i}", standfirst = "A standfirst.", body = "A body." } })));

        Assert.All(responses, response => Assert.Null(response.Errors));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"first-story-{i}"), responses.Select(r => r.Data!["createArticle"]!["article"]!["slug"].Text()));
        await using var db = api.CreateDbContext();
        Assert.Equal(["T4K3.news"], await db.Publications.Select(p => p.Name).ToListAsync());
        Assert.Equal(8, await db.Articles.CountAsync(a => a.Publication.Name == "T4K3.news"));
    }

    [Fact]
    public async Task The_seed_import_and_editors_creating_articles_at_the_same_moment_share_one_publication()
    {
        var editors = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.CreateClientWithRoleAsync(TokenRole.Editor)));

        var import = api.CreateImporter().ImportFolderAsync(RepositoryPaths.Seeds, default);
        var responses = await Task.WhenAll(editors.Select((editor, i) =>
            editor.PostAsync(CreateArticle, new { input = new { title = $"Written during the import {i}", standfirst = "A standfirst.", body = "A body." } })));
        var report = await import;

        Assert.All(responses, response => Assert.Null(response.Errors));
        Assert.Equal(4, report.Count(T4K3News.Content.Import.ImportOutcome.Created));
        await using var db = api.CreateDbContext();
        Assert.Equal(["T4K3.news"], await db.Publications.Select(p => p.Name).ToListAsync());
        Assert.Equal(8, await db.Articles.CountAsync());
    }
}
