using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Syndication;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

/// <summary>Feeds name an article's writers from its bylines; the newest article is credited, the next one is not.</summary>
public sealed class FeedAuthorTests(SyndicationNewsroomApi api) : IClassFixture<SyndicationNewsroomApi>
{
    private static readonly XNamespace DublinCore = Feeds.DublinCoreNamespace;

    [Fact]
    public async Task Feeds_name_the_authors_and_contributors_of_the_bylines_in_order_once_each_and_not_photographers()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var (ada, bob, lens) = (await NewAuthorAsync(editor, "Ada Lovelace", "https://t4k3.news/people/ada"),
            await NewAuthorAsync(editor, "Bob Penn"), await NewAuthorAsync(editor, "Lens Man"));
        var newest = await LatestVisibleAsync(0);
        await CreditAsync(editor, newest, new { authorId = ada, role = "AUTHOR" }, new { authorId = lens, role = "PHOTOGRAPHER" },
            new { authorId = bob, role = "CONTRIBUTOR" }, new { authorId = ada, role = "CONTRIBUTOR" }, new { authorId = lens, role = "EDITOR" });
        var client = api.CreateClient();

        var rss = XDocument.Parse(await client.GetStringAsync("/feeds/rss.xml")).Descendants("item").ToList();
        var atom = SyndicationFeed.Load(XmlReader.Create(await client.GetStreamAsync("/feeds/atom.xml")));
        var json = JsonNode.Parse(await client.GetStringAsync("/feeds/feed.json"))!;

        Assert.Equal(["Ada Lovelace", "Bob Penn"], rss[0].Elements(DublinCore + "creator").Select(e => e.Value));
        Assert.Empty(rss[1].Elements(DublinCore + "creator"));
        Assert.Empty(rss.Elements("author"));

        var entries = atom.Items.ToList();
        Assert.Equal([("Ada Lovelace", "https://t4k3.news/people/ada"), ("Bob Penn", null)],
            entries[0].Authors.Select(a => (a.Name, (string?)a.Uri)));
        Assert.Empty(entries[1].Authors);
        Assert.Equal(("T4K3 News", "https://www.t4k3.news"), (atom.Authors.Single().Name, atom.Authors.Single().Uri));

        var items = json["items"]!.AsArray();
        Assert.Equal("""[{"name":"Ada Lovelace","url":"https://t4k3.news/people/ada"},{"name":"Bob Penn"}]""",
            items[0]!["authors"]!.ToJsonString());
        Assert.Null(items[1]!["authors"]);
        Assert.Equal("""[{"name":"T4K3 News","url":"https://www.t4k3.news"}]""", json["authors"]!.ToJsonString());
    }

    [Fact]
    public async Task Renaming_an_author_changes_the_feeds_at_once()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var cara = await NewAuthorAsync(editor, "Cara Quill");
        var third = await LatestVisibleAsync(2);
        await CreditAsync(editor, third, new { authorId = cara, role = "AUTHOR" });
        var client = api.CreateClient();
        var before = JsonNode.Parse(await client.GetStringAsync("/feeds/feed.json"))!;

        var renamed = await editor.QueryAsync(
            "mutation ($input: UpdateAuthorInput!) { updateAuthor(input: $input) { errors { __typename } } }",
            new { input = new { id = cara, name = "Cara Quillfeather" } });

        Assert.Null(renamed["updateAuthor"]!["errors"]);
        Assert.Equal("Cara Quill", before["items"]![2]!["authors"]![0]!["name"].Text());
        var after = JsonNode.Parse(await client.GetStringAsync("/feeds/feed.json"))!;
        Assert.Equal("Cara Quillfeather", after["items"]![2]!["authors"]![0]!["name"].Text());
        var rss = XDocument.Parse(await client.GetStringAsync("/feeds/rss.xml")).Descendants("item").ToList();
        Assert.Equal(["Cara Quillfeather"], rss[2].Elements(DublinCore + "creator").Select(e => e.Value));
    }

    private static async Task<string> NewAuthorAsync(GraphQLClient editor, string name, string? url = null)
    {
        var data = await editor.QueryAsync(
            "mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { author { id } errors { __typename } } }",
            new { input = new { name, url } });
        return data["createAuthor"]!["author"]!["id"].Text()!;
    }

    private static async Task CreditAsync(GraphQLClient editor, Article article, params object[] bylines)
    {
        var id = Convert.ToBase64String(Encoding.UTF8.GetBytes($"Article:{article.Id}"));
        var updated = await editor.QueryAsync(
            "mutation ($input: UpdateArticleInput!) { updateArticle(input: $input) { errors { __typename } } }",
            new { input = new { id, expectedVersion = article.Version, bylines } });
        Assert.Null(updated["updateArticle"]!["errors"]);
    }

    /// <summary>The visible article at this place in the feeds (0: the newest).</summary>
    private async Task<Article> LatestVisibleAsync(int place)
    {
        await using var db = api.CreateDbContext();
        return await db.Articles.VisibleToReaders(api.Clock.GetUtcNow().UtcDateTime)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Skip(place).AsNoTracking().FirstAsync();
    }
}
