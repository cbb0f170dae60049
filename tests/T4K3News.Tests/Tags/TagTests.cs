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
    public async Task Every_tags_article_page_loads_in_the_same_few_statements_however_many_tags_there_are()
    {
        const string sections = """
            query ($tags: TagFilterInput) {
              tags(where: $tags) {
                nodes { slug articles(first: 2, after: "MQ==", order: [{ title: ASC }]) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } } }
              }
            }
            """;

        api.Statements.Reset();
        var one = await client.QueryAsync(sections, new { tags = new { slug = new { eq = "odd" } } });
        var statementsForOne = api.Statements.Count;
        api.Statements.Reset();
        var all = await client.QueryAsync(sections);
        var statementsForAll = api.Statements.Count;

        var pages = all["tags"]!["nodes"]!.AsArray().ToDictionary(t => t!["slug"].Text()!, t => t!["articles"]!);
        Assert.Equal(["Story 06", "Story 08"], pages["even"]["nodes"].Texts("title"));
        Assert.Equal(["Story 05", "Story 07"], pages["odd"]["nodes"].Texts("title"));
        Assert.Equal(["Story 03", "Story 04"], pages["world"]["nodes"].Texts("title"));
        Assert.Equal([30, 30, 60], pages.Values.Select(p => p["totalCount"]!.GetValue<int>()));
        Assert.All(pages.Values, p => Assert.True(p["pageInfo"]!["hasNextPage"]!.GetValue<bool>() && p["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>()));
        Assert.Equal(one["tags"]!["nodes"]![0]!.ToJsonString(), all["tags"]!["nodes"]!.AsArray().Single(t => t!["slug"].Text() == "odd")!.ToJsonString());
        // the tags; every tag's page; every tag's total
        Assert.Equal(3, statementsForAll);
        Assert.Equal(statementsForOne, statementsForAll);
    }

    [Fact]
    public async Task A_tags_last_articles_count_back_from_that_tags_own_end()
    {
        var data = await client.QueryAsync("""{ tags { nodes { slug articles(last: 2) { pageInfo { hasNextPage hasPreviousPage } nodes { title } } } } }""");

        var pages = data["tags"]!["nodes"]!.AsArray().ToDictionary(t => t!["slug"].Text()!, t => t!["articles"]!);
        Assert.Equal(["Story 04", "Story 02"], pages["even"]["nodes"].Texts("title"));
        Assert.Equal(["Story 03", "Story 01"], pages["odd"]["nodes"].Texts("title"));
        Assert.Equal(["Story 02", "Story 01"], pages["world"]["nodes"].Texts("title"));
        Assert.All(pages.Values, p => Assert.False(p["pageInfo"]!["hasNextPage"]!.GetValue<bool>()));
        Assert.All(pages.Values, p => Assert.True(p["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>()));
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
        var editor = await api.CreateClientWithRoleAsync(T4K3News.Content.Auth.TokenRole.Editor);
        var ids = await client.QueryAsync("""{ tag(slug: "world") { id } article(slug: "story-01") { id } }""");
        var created = await editor.QueryAsync("""
            mutation {
              createArticle(input: { title: "Hidden draft", standfirst: "S", body: "B" }) { article { id status } }
            }
            """);
        var draftId = created["createArticle"]!["article"]!["id"].Text();
        const string query = "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }";
        var variables = new { ids = new[] { ids["tag"]!["id"].Text(), ids["article"]!["id"].Text(), draftId } };

        var data = await client.QueryAsync(query, variables);
        var byEditor = await editor.QueryAsync(query, variables);

        Assert.Equal("DRAFT", created["createArticle"]!["article"]!["status"].Text());
        var nodes = data["nodes"]!.AsArray();
        Assert.Equal("Tag", nodes[0]!["__typename"].Text());
        Assert.Equal("Article", nodes[1]!["__typename"].Text());
        Assert.Null(nodes[2]);
        Assert.Equal(["Tag", "Article", "Article"], byEditor["nodes"].Texts("__typename"));
        Assert.Equal(draftId, byEditor["nodes"]![2]!["id"].Text());
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("VW5rbm93bjox")]
    public async Task A_node_id_that_is_not_ours_is_an_INVALID_ID_error(string id)
    {
        var response = await client.PostAsync("query ($id: ID!) { node(id: $id) { id } }", new { id });

        Assert.Equal(200, response.Status);
        Assert.Equal("INVALID_ID", response.FirstErrorCode);
    }
}
