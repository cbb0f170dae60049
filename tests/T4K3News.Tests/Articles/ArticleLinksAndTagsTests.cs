using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

/// <summary>Writes judged by what they change: the same tags in another order change nothing, and deleting an article changes the articles linking to it.</summary>
public sealed class ArticleLinksAndTagsTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private const string Article = "query ($slug: String!) { article(slug: $slug) { id version tags { id slug } relatedArticles { slug } revisions { totalCount nodes { version author changedFields } } } }";

    private const string UpdateArticle = """
        mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { article { version } errors { __typename } } }
        """;

    private const string DeleteArticle = """
        mutation ($input: DeleteArticleInput!) { deleteArticle(input: $input) { errors { __typename } } }
        """;

    private const string ArticleChanged = "subscription { articleChanged { articleId version changedFields author deleted } }";

    [Fact]
    public async Task Sending_the_same_tags_in_another_order_is_no_change_no_new_version_and_no_revision()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var before = (await editor.QueryAsync(Article, new { slug = "story-10" }))["article"]!;
        var reversed = before["tags"].Texts("id").Reverse().ToArray();

        var saved = await editor.QueryAsync(UpdateArticle, new { input = new { id = before["id"].Text(), expectedVersion = 1, tagIds = reversed } });
        var after = (await editor.QueryAsync(Article, new { slug = "story-10" }))["article"]!;

        Assert.Equal(2, reversed.Length);
        Assert.Null(saved["updateArticle"]!["errors"]);
        Assert.Equal(1, saved["updateArticle"]!["article"]!["version"]!.GetValue<int>());
        Assert.Equal(1, after["version"]!.GetValue<int>());
        Assert.Equal(0, after["revisions"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(before["tags"].Texts("slug"), after["tags"].Texts("slug"));
    }

    [Fact]
    public async Task Deleting_an_article_unlinks_it_from_the_articles_relating_to_it_as_versioned_announced_writes()
    {
        var token = await api.CreateTokenAsync(TokenRole.Admin);
        var admin = api.CreateGraphQLClient(token);
        var doomed = (await admin.QueryAsync(Article, new { slug = "story-20" }))["article"]!;
        var linking = (await admin.QueryAsync(Article, new { slug = "story-21" }))["article"]!;
        var untouched = (await admin.QueryAsync(Article, new { slug = "story-22" }))["article"]!;
        await using var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, token);
        await socket.SubscribeAsync("all", ArticleChanged);
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync())?["type"].Text());

        var deleted = await admin.QueryAsync(DeleteArticle, new { input = new { id = doomed["id"].Text(), expectedVersion = 1 } });
        var heard = new[] { await socket.ReceiveAsync(), await socket.ReceiveAsync() }.Select(m => m!["payload"]!["data"]!["articleChanged"]!).ToList();
        var linkingAfter = (await admin.QueryAsync(Article, new { slug = "story-21" }))["article"]!;
        var staleSave = await admin.QueryAsync(UpdateArticle, new { input = new { id = linking["id"].Text(), expectedVersion = 1, title = "Saved over the unlinking" } });

        Assert.Null(deleted["deleteArticle"]!["errors"]);
        Assert.Equal(["story-20"], linking["relatedArticles"].Texts("slug"));
        Assert.Empty(linkingAfter["relatedArticles"]!.AsArray());
        Assert.Equal(2, linkingAfter["version"]!.GetValue<int>());
        var revision = linkingAfter["revisions"]!["nodes"]![0]!;
        Assert.Equal(2, revision["version"]!.GetValue<int>());
        Assert.Equal(["relatedArticles"], revision["changedFields"]!.AsArray().Select(f => f.Text()));
        Assert.StartsWith("Admin-", revision["author"].Text());
        Assert.Equal("ConcurrencyError", staleSave["updateArticle"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal(1, (await admin.QueryAsync(Article, new { slug = "story-22" }))["article"]!["version"]!.GetValue<int>());
        Assert.Equal(["story-21"], untouched["relatedArticles"].Texts("slug"));

        Assert.Equal([(linking["id"].Text(), 2, "relatedArticles", false), (doomed["id"].Text(), 1, "deleted", true)],
            heard.Select(c => (c["articleId"].Text(), c["version"]!.GetValue<int>(), string.Join(",", c["changedFields"]!.AsArray().Select(f => f.Text())), c["deleted"]!.GetValue<bool>())));
        await using var db = api.CreateDbContext();
        var doomedKey = int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(doomed["id"].Text()!)).Split(':')[1]);
        Assert.False(await db.RelatedArticles.AnyAsync(r => r.RelatedArticleId == doomedKey || r.ArticleId == doomedKey));
    }
}
