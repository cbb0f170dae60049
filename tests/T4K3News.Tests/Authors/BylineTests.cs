using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Authors;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Authors;

/// <summary>Bylines on the newsroom's articles: written through createArticle/updateArticle, read, filtered and removed.</summary>
public sealed class BylineTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private const string Errors = "errors { __typename ... on Error { message } ... on ValidationError { path } }";

    private const string UpdateArticle = $$"""
        mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { id version authors { role author { slug } } } {{Errors}} } }
        """;

    private const string CreateArticle = $$"""
        mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug version authors { role author { slug } } } {{Errors}} } }
        """;

    private const string DeleteAuthor = """
        mutation ($input: DeleteAuthorInput!) { deleteAuthor(input: $input) { author { slug } errors { __typename ... on Error { message } ... on AuthorInUseError { articleCount } } } }
        """;

    private async Task<string> NewAuthorAsync(GraphQLClient editor, string name)
    {
        var data = await editor.QueryAsync("mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } errors { __typename } } }", new { input = new { name } });
        return data["createAuthor"]!["author"]!["id"].Text()!;
    }

    private static async Task<(string Id, int Version)> ArticleAsync(GraphQLClient editor, string slug)
    {
        var article = (await editor.QueryAsync("query ($slug: String!) { article(slug: $slug) { id version } }", new { slug }))["article"]!;
        return (article["id"].Text()!, article["version"]!.GetValue<int>());
    }

    private static IEnumerable<string> Credits(JsonNode article) =>
        article["authors"]!.AsArray().Select(b => $"{b!["author"]!["slug"].Text()}:{b["role"].Text()}");

    [Fact]
    public async Task Bylines_keep_the_editors_order_and_roles_and_the_same_author_in_the_same_role_counts_once()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (lens, pen) = (await NewAuthorAsync(editor, "Order Lens"), await NewAuthorAsync(editor, "Order Pen"));

        var created = await editor.QueryAsync(CreateArticle, new
        {
            input = new
            {
                title = "Credited story", standfirst = "S.", body = "B.",
                bylines = new object[] { new { authorId = lens, role = "PHOTOGRAPHER" }, new { authorId = pen }, new { authorId = lens, role = "PHOTOGRAPHER" }, new { authorId = lens, role = "EDITOR" } },
            },
        });
        var read = await editor.QueryAsync("""{ article(slug: "credited-story") { authors { role author { name slug } } } }""");

        Assert.Null(created["createArticle"]!["errors"]);
        Assert.Equal(["order-lens:PHOTOGRAPHER", "order-pen:AUTHOR", "order-lens:EDITOR"], Credits(created["createArticle"]!["article"]!));
        Assert.Equal(["order-lens:PHOTOGRAPHER", "order-pen:AUTHOR", "order-lens:EDITOR"], Credits(read["article"]!));
        Assert.Equal("Order Lens", read["article"]!["authors"]![0]!["author"]!["name"].Text());
    }

    [Fact]
    public async Task Bylines_are_replaced_whole_left_alone_when_omitted_and_the_same_bylines_again_make_no_version()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (first, second) = (await NewAuthorAsync(editor, "Whole First"), await NewAuthorAsync(editor, "Whole Second"));
        var (id, version) = await ArticleAsync(editor, "story-21");

        var credited = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = first }, new { authorId = second } } } });
        var reordered = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version + 1, bylines = new[] { new { authorId = second }, new { authorId = first } } } });
        var retitled = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version + 2, title = "Story 21 retitled" } });
        var same = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version + 3, bylines = new[] { new { authorId = second, role = "AUTHOR" }, new { authorId = first, role = "AUTHOR" } } } });
        var cleared = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version + 3, bylines = Array.Empty<object>() } });

        Assert.Equal(["whole-first:AUTHOR", "whole-second:AUTHOR"], Credits(credited["updateArticle"]!["article"]!));
        Assert.Equal(["whole-second:AUTHOR", "whole-first:AUTHOR"], Credits(reordered["updateArticle"]!["article"]!));
        Assert.Equal(["whole-second:AUTHOR", "whole-first:AUTHOR"], Credits(retitled["updateArticle"]!["article"]!));
        Assert.Equal(version + 3, same["updateArticle"]!["article"]!["version"]!.GetValue<int>());
        Assert.Empty(Credits(cleared["updateArticle"]!["article"]!));
        Assert.Equal(version + 4, cleared["updateArticle"]!["article"]!["version"]!.GetValue<int>());

        await using var db = api.CreateDbContext();
        var revisions = await db.ArticleRevisions.Where(r => r.ArticleId == db.Articles.Single(a => a.Slug == "story-21").Id).OrderBy(r => r.Version).ToListAsync();
        Assert.Equal([["authors"], ["authors"], ["title"], ["authors"]], revisions.Select(r => r.ChangedFields));
        var snapshot = JsonNode.Parse(revisions[1].Snapshot)!["bylines"]!.AsArray();
        Assert.Equal(["Author", "Author"], snapshot.Select(b => b!["role"].Text()));
        Assert.Equal(2, snapshot.Count);
    }

    [Fact]
    public async Task Unknown_malformed_and_too_many_bylines_are_validation_errors_and_nothing_is_written()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var real = await NewAuthorAsync(editor, "Limit Author");
        var (id, version) = await ArticleAsync(editor, "story-22");

        var unknown = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = real }, new { authorId = "QXV0aG9yOjk5OTk5" } } } });
        var malformed = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = "not-an-id" }, new { authorId = "VGFnOjE=" } } } });
        var authors = new List<string>();
        for (var i = 0; i < 21; i++)
            authors.Add(await NewAuthorAsync(editor, $"Crowd {i:00}"));
        var tooMany = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = authors.Select(a => new { authorId = a }) } });
        var twenty = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = authors.Take(20).Select(a => new { authorId = a }) } });

        Assert.Equal(["bylines[1].authorId"], unknown["updateArticle"]!["errors"].Texts("path"));
        Assert.Equal(["bylines[0].authorId", "bylines[1].authorId"], malformed["updateArticle"]!["errors"].Texts("path"));
        Assert.Equal(["bylines"], tooMany["updateArticle"]!["errors"].Texts("path"));
        Assert.Null(unknown["updateArticle"]!["article"]);
        Assert.Equal(20, twenty["updateArticle"]!["article"]!["authors"]!.AsArray().Count);
        Assert.Equal(version + 1, twenty["updateArticle"]!["article"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_author_lists_only_the_articles_the_caller_may_see_and_articles_filter_by_author_both_ways()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var author = await NewAuthorAsync(editor, "Visible Writer");
        foreach (var slug in new[] { "story-05", "story-06", "unfinished-draft", "scheduled-for-the-next-century" })
        {
            var (id, version) = await ArticleAsync(editor, slug);
            await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = author, role = "CONTRIBUTOR" } } } });
        }

        const string page = """{ author(slug: "visible-writer") { articles(first: 10) { totalCount nodes { slug } } } }""";
        const string filtered = """{ articles(first: 10, where: { authors: { some: { slug: { eq: "visible-writer" } } } }) { totalCount nodes { slug } } }""";
        const string filteredWithAnd = """{ articles(first: 10, where: { and: [{ authors: { some: { name: { startsWith: "Visible" } } } }, { title: { eq: "Story 05" } }] }) { nodes { slug authors { role } } } }""";
        var reader = api.CreateGraphQLClient();
        var readersPage = await reader.QueryAsync(page);
        var editorsPage = await editor.QueryAsync(page);
        var readersList = await reader.QueryAsync(filtered);
        var editorsList = await editor.QueryAsync(filtered);
        var both = await reader.QueryAsync(filteredWithAnd);
        var none = await reader.QueryAsync("""{ articles(where: { authors: { none: { slug: { eq: "visible-writer" } } } }) { totalCount } }""");

        Assert.Equal(["story-06", "story-05"], readersPage["author"]!["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(2, readersPage["author"]!["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(4, editorsPage["author"]!["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["story-06", "story-05"], readersList["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(4, editorsList["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["story-05"], both["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(["CONTRIBUTOR"], both["articles"]!["nodes"]![0]!["authors"].Texts("role"));
        Assert.Equal(NewsroomApi.PublishedCount - 2, none["articles"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_page_of_articles_loads_its_bylines_and_a_page_of_authors_their_articles_in_the_same_statements_however_many()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (one, two) = (await NewAuthorAsync(editor, "Batch One"), await NewAuthorAsync(editor, "Batch Two"));
        foreach (var slug in new[] { "story-40", "story-41", "story-42" })
        {
            var (id, version) = await ArticleAsync(editor, slug);
            await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = one }, new { authorId = two } } } });
        }

        const string bylines = "query ($first: Int) { articles(first: $first, where: { title: { startsWith: \"Story 4\" } }, order: [{ title: ASC }]) { nodes { slug authors { role author { name } } } } }";
        const string authors = "query ($where: AuthorFilterInput) { authors(where: $where) { nodes { slug articles(first: 2) { nodes { slug } } } } }";
        var reader = api.CreateGraphQLClient();
        async Task<(JsonNode Data, int Statements)> CountAsync(string query, object variables)
        {
            api.Statements.Reset();
            var data = await reader.QueryAsync(query, variables);
            return (data, api.Statements.Count);
        }

        var (twoArticles, forTwo) = await CountAsync(bylines, new { first = 2 });
        var (tenArticles, forTen) = await CountAsync(bylines, new { first = 10 });
        var (oneAuthor, forOneAuthor) = await CountAsync(authors, new { where = new { slug = new { eq = "batch-one" } } });
        var (batchAuthors, forBoth) = await CountAsync(authors, new { where = new { slug = new { startsWith = "batch-" } } });

        Assert.Equal(["batch-one:AUTHOR", "batch-two:AUTHOR"], twoArticles["articles"]!["nodes"]![0]!["authors"]!.AsArray().Select(b => $"{b!["author"]!["name"].Text()!.ToLowerInvariant().Replace(' ', '-')}:{b["role"].Text()}"));
        Assert.Equal(10, tenArticles["articles"]!["nodes"]!.AsArray().Count);
        Assert.Equal(3, tenArticles["articles"]!["nodes"]!.AsArray().Count(a => a!["authors"]!.AsArray().Count == 2));
        // the page of articles, then one statement for all their bylines with their authors
        Assert.Equal(2, forTwo);
        Assert.Equal(forTwo, forTen);
        Assert.Equal(["story-42", "story-41"], oneAuthor["authors"]!["nodes"]![0]!["articles"]!["nodes"].Texts("slug"));
        Assert.All(batchAuthors["authors"]!["nodes"]!.AsArray(), a => Assert.Equal(["story-42", "story-41"], a!["articles"]!["nodes"].Texts("slug")));
        // the authors, then one statement for every author's page
        Assert.Equal(2, forBoth);
        Assert.Equal(forOneAuthor, forBoth);
    }

    [Fact]
    public async Task An_author_still_credited_is_deleted_only_when_forced_and_each_article_gets_a_version_and_revision()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (leaving, staying) = (await NewAuthorAsync(editor, "Leaving Author"), await NewAuthorAsync(editor, "Staying Author"));
        var versions = new Dictionary<string, int>();
        foreach (var slug in new[] { "story-30", "story-31" })
        {
            var (id, version) = await ArticleAsync(editor, slug);
            var credited = await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new object[] { new { authorId = leaving }, new { authorId = staying, role = "PHOTOGRAPHER" }, new { authorId = leaving, role = "EDITOR" } } } });
            versions[slug] = credited["updateArticle"]!["article"]!["version"]!.GetValue<int>();
        }

        var refused = await editor.QueryAsync(DeleteAuthor, new { input = new { id = leaving } });
        var forced = await editor.QueryAsync(DeleteAuthor, new { input = new { id = leaving, force = true } });
        var gone = await editor.QueryAsync(DeleteAuthor, new { input = new { id = leaving, force = true } });
        var (storyThirty, _) = await ArticleAsync(editor, "story-30");
        var staleSave = await editor.QueryAsync(UpdateArticle, new { input = new { id = storyThirty, expectedVersion = versions["story-30"], bylines = new[] { new { authorId = staying } } } });
        var unused = await editor.QueryAsync(DeleteAuthor, new { input = new { id = await NewAuthorAsync(editor, "Never Credited") } });

        Assert.Equal("AuthorInUseError", refused["deleteAuthor"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(2, refused["deleteAuthor"]!["errors"]![0]!["articleCount"]!.GetValue<int>());
        Assert.Null(forced["deleteAuthor"]!["errors"]);
        Assert.Equal("leaving-author", forced["deleteAuthor"]!["author"]!["slug"].Text());
        Assert.Equal("NotFoundError", gone["deleteAuthor"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("ConcurrencyError", staleSave["updateArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Null(unused["deleteAuthor"]!["errors"]);
        foreach (var slug in versions.Keys)
        {
            var article = (await editor.QueryAsync($$"""{ article(slug: "{{slug}}") { version authors { role author { slug } } revisions(first: 1) { nodes { version changedFields } } } }"""))["article"]!;
            Assert.Equal(versions[slug] + 1, article["version"]!.GetValue<int>());
            Assert.Equal(["staying-author:PHOTOGRAPHER"], Credits(article));
            Assert.Equal(versions[slug] + 1, article["revisions"]!["nodes"]![0]!["version"]!.GetValue<int>());
            Assert.Equal(["authors"], article["revisions"]!["nodes"]![0]!["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Restoring_a_revision_brings_back_its_bylines_but_not_a_deleted_author()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (kept, removed) = (await NewAuthorAsync(editor, "Restore Kept"), await NewAuthorAsync(editor, "Restore Removed"));
        var (id, version) = await ArticleAsync(editor, "story-50");
        await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = removed }, new { authorId = kept } } } });
        var revision = (await editor.QueryAsync("""{ article(slug: "story-50") { revisions(first: 1) { nodes { id } } } }"""))["article"]!["revisions"]!["nodes"]![0]!["id"].Text();
        await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version + 1, bylines = Array.Empty<object>() } });
        await editor.QueryAsync(DeleteAuthor, new { input = new { id = removed } });

        var restored = await editor.QueryAsync($$"""
            mutation ($input: RestoreArticleRevisionInput!) { restoreArticleRevision(input: $input) { article { version authors { role author { slug } } } {{Errors}} } }
            """, new { input = new { articleId = id, revisionId = revision, expectedVersion = version + 2 } });

        Assert.Null(restored["restoreArticleRevision"]!["errors"]);
        Assert.Equal(["restore-kept:AUTHOR"], Credits(restored["restoreArticleRevision"]!["article"]!));
    }

    [Fact]
    public async Task Linked_data_gets_each_credited_persons_name_url_and_property_and_each_correction_with_its_date()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var writer = (await editor.QueryAsync("mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } } }",
            new { input = new { name = "Linked Writer", url = "https://example.com/linked" } }))["createAuthor"]!["author"]!["id"].Text();
        var photographer = await NewAuthorAsync(editor, "Linked Lens");
        var (id, version) = await ArticleAsync(editor, "story-55");
        await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new object[] { new { authorId = writer }, new { authorId = photographer, role = "PHOTOGRAPHER" } } } });
        await editor.QueryAsync("mutation ($input: AddCorrectionInput!) { addCorrection(input: $input) { errors { __typename } } }",
            new { input = new { articleId = id, expectedVersion = version + 1, kind = "CORRECTION", text = "A name was misspelled." } });

        await using var scope = api.Services.CreateAsyncScope();
        await using var db = api.CreateDbContext();
        var article = await db.Articles.SingleAsync(a => a.Slug == "story-55");
        var credits = await scope.ServiceProvider.GetRequiredService<AuthorLoaders>().Credits(article).GetResultAsync();

        Assert.Equal([("Linked Writer", "https://example.com/linked", "author"), ("Linked Lens", null, "contributor")],
            credits.People.Select(p => (p.Name, p.Url, p.SchemaOrgProperty)));
        var correction = Assert.Single(credits.Corrections);
        Assert.Equal("A name was misspelled.", correction.Text);
        Assert.Equal(article.Corrections[0].CreatedAt, correction.DatePublished);
        Assert.True(correction.DatePublished <= article.UpdatedAt);
    }

    [Fact]
    public async Task Two_editors_force_deleting_the_same_author_at_once_get_one_deletion_and_one_not_found()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var author = await NewAuthorAsync(editor, "Twice Deleted");
        var (id, version) = await ArticleAsync(editor, "story-44");
        await editor.QueryAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = new[] { new { authorId = author } } } });

        var both = await Task.WhenAll(
            editor.QueryAsync(DeleteAuthor, new { input = new { id = author, force = true } }),
            editor.QueryAsync(DeleteAuthor, new { input = new { id = author, force = true } }));

        Assert.Equal([null, "NotFoundError"], both.Select(d => d["deleteAuthor"]!["errors"]?[0]!["__typename"].Text()).Order());
        Assert.Equal(version + 2, (await ArticleAsync(editor, "story-44")).Version);
    }

    [Fact]
    public async Task More_bylines_than_any_input_list_may_hold_are_refused_before_anything_runs()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (id, version) = await ArticleAsync(editor, "story-45");

        var response = await editor.PostAsync(UpdateArticle, new { input = new { id, expectedVersion = version, bylines = Enumerable.Repeat(new { authorId = "QXV0aG9yOjE=" }, 101) } });

        Assert.Equal("INPUT_TOO_LARGE", response.FirstErrorCode);
        Assert.Equal(version, (await ArticleAsync(editor, "story-45")).Version);
    }
}
