using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Tags;

public sealed class TagTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private readonly GraphQLClient client = api.CreateGraphQLClient();

    [Fact]
    public async Task Tags_are_listed_by_name_with_how_many_published_articles_carry_them()
    {
        var data = await client.QueryAsync("{ tags { totalCount nodes { slug name articleCount } } }");

        Assert.Equal(["even", "odd", "world"], data["tags"]!["nodes"].Texts("slug"));
        // "world" is also on the draft and the scheduled article, which readers do not count
        Assert.Equal([30, 30, 60], data["tags"]!["nodes"]!.AsArray().Select(t => t!["articleCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_tag_pages_through_its_own_articles()
    {
        var data = await client.QueryAsync("""{ tag(slug: "odd") { name articles(first: 3) { totalCount nodes { title } } } }""");

        Assert.Equal("Odd", data["tag"]!["name"].Text());
        Assert.Equal(30, data["tag"]!["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["Story 59", "Story 57", "Story 55"], data["tag"]!["articles"]!["nodes"].Texts("title"));
    }

    [Fact]
    public async Task Tags_filter_and_sort()
    {
        var data = await client.QueryAsync("""{ tags(where: { name: { startsWith: "O" } }, order: [{ slug: DESC }]) { nodes { slug } } }""");

        Assert.Equal(["odd"], data["tags"]!["nodes"].Texts("slug"));
    }

    [Fact]
    public async Task Nodes_resolves_articles_and_tags_together_and_hidden_ones_as_null()
    {
        var ids = await client.QueryAsync("""{ tag(slug: "world") { id } article(slug: "story-01") { id } }""");
        var draftId = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("Article:61"));

        var data = await client.QueryAsync("query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            new { ids = new[] { ids["tag"]!["id"].Text(), ids["article"]!["id"].Text(), draftId } });

        var nodes = data["nodes"]!.AsArray();
        Assert.Equal("Tag", nodes[0]!["__typename"].Text());
        Assert.Equal("Article", nodes[1]!["__typename"].Text());
        Assert.Null(nodes[2]);
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("VW5rbm93bjox")]
    public async Task A_node_id_that_is_not_ours_is_an_INVALID_ID_error(string id)
    {
        var response = await client.PostAsync("query ($id: ID!) { node(id: $id) { id } }", new { id });

        Assert.Equal("INVALID_ID", response.FirstErrorCode);
    }
}
