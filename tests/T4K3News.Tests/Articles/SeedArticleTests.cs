using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Articles;

public sealed class SeedArticleTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string FullArticle = """
        query ($slug: String!) {
          article(slug: $slug) {
            id slug title standfirst publishedAt status version
            publication { name }
            heroImage { altText caption }
            bodyHeading body analysis closingLine
            takeaways { text }
            quotes { text speaker context }
            highlights { text }
            callouts { title body }
            tags { slug name }
            relatedArticles { slug }
          }
        }
        """;

    [Fact]
    public async Task The_seed_article_is_served_with_every_part_in_the_documents_order_and_text()
    {
        var data = await api.CreateGraphQLClient().QueryAsync(FullArticle, new { slug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia" });
        var article = data["article"]!;

        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", article["title"].Text());
        Assert.Equal("Ukrainian President Volodymyr Zelenskyy invites Russia to discuss peace amidst ongoing conflict.", article["standfirst"].Text());
        Assert.Equal("2025-07-20T11:06:00Z", article["publishedAt"].Text());
        Assert.Equal("PUBLISHED", article["status"].Text());
        Assert.Equal("T4K3.news", article["publication"]!["name"].Text());
        Assert.Equal("Zelenskyy says Ukraine offered Russia a new round of peace talks", article["heroImage"]!["altText"].Text());
        Assert.Equal("Ukraine's president criticized Russia for evading crucial decisions during the war.", article["heroImage"]!["caption"].Text());
        Assert.Equal("Zelenskyy invites Russia to new peace talks amid ongoing conflict", article["bodyHeading"].Text());
        Assert.StartsWith("Ukrainian President Volodymyr Zelenskyy has called for a new round of peace talks with Russia,", article["body"].Text());
        Assert.EndsWith("Despite past meetings yielding little progress, Zelenskyy remains open to continued dialogue.", article["body"].Text());

        Assert.Equal(
            [
                "Zelenskyy emphasizes the importance of direct talks with Putin.",
                "Russia has confirmed receipt of the invitation but no date is set.",
                "Ongoing military attacks highlight the urgency for peace negotiations.",
                "Zelenskyy aims for expanded sanctions through allied nations.",
                "Previous talks have failed to yield significant results.",
                "Ukraine remains committed to dialogue despite rising tensions.",
            ],
            article["takeaways"].Texts("text"));

        Assert.Equal(
            [
                "A meeting at the level of leaders is needed to truly ensure peace — a really lasting one.",
                "Ukraine is ready for such a meeting.",
                "Russia is hiding from decisions.",
                "Zelenskyy aims to implement sanctions against Russia with EU allies.",
            ],
            article["quotes"].Texts("text"));
        Assert.Equal(
            [
                "Zelenskyy emphasizes the need for direct discussions with Putin for effective peace talks.",
                "Zelenskyy expresses Ukraine's willingness to engage in further negotiations with Russia.",
                "Zelenskyy criticizes Russia for its reluctance to engage in meaningful talks.",
                "The President is taking steps to unify international response against Russian aggression.",
            ],
            article["quotes"].Texts("context"));
        Assert.Equal(["Volodymyr Zelenskyy", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy", null], article["quotes"].Texts("speaker"));

        Assert.Equal(
            "The situation remains tense as Zelenskyy's openness to dialogue contrasts sharply with Russia's military actions. While talks have previously faltered, the urgency for a ceasefire grows with each conflict escalation. Zelenskyy's engagement with leaders outside of the European Union further indicates a strategic pivot in Ukraine's approach. This moment underscores the fragile state of international diplomacy, where genuine efforts for peace must contend with ongoing violence and diplomatic gridlock.",
            article["analysis"].Text());

        Assert.Equal(
            [
                "Ukraine is ready for a meeting with Russia to ensure true peace.",
                "Russia is hiding from decisions essential for ending the war.",
                "A meeting at the leaders' level is crucial for lasting peace.",
                "Zelenskyy stands firm in the face of ongoing military aggression.",
            ],
            article["highlights"].Texts("text"));

        Assert.Equal(["Rising risks due to political tensions in Ukraine"], article["callouts"].Texts("title"));
        Assert.Equal(
            ["Amid calls for new peace talks, ongoing violence and military attacks continue, raising concerns about the impact on diplomatic efforts and public safety."],
            article["callouts"].Texts("body"));
        Assert.Equal("The international community watches closely as both sides navigate a complex path to peace.", article["closingLine"].Text());
        Assert.Empty(article["relatedArticles"]!.AsArray());
        Assert.Contains("ukraine", article["tags"].Texts("slug"));
        Assert.Contains("russia", article["tags"].Texts("slug"));
    }

    [Fact]
    public async Task An_article_is_found_again_through_its_global_id()
    {
        var client = api.CreateGraphQLClient();
        var article = (await client.QueryAsync("""{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { id title } }"""))["article"]!;

        var node = await client.QueryAsync("query ($id: ID!) { node(id: $id) { __typename id ... on Article { title } } }", new { id = article["id"].Text() });

        Assert.Equal("Article", node["node"]!["__typename"].Text());
        Assert.Equal(article["title"].Text(), node["node"]!["title"].Text());
        Assert.StartsWith("Article:", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(article["id"].Text()!)));
    }

    [Fact]
    public async Task The_publication_an_article_belongs_to_is_a_node_too()
    {
        var client = api.CreateGraphQLClient();
        var publication = (await client.QueryAsync("""{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { publication { id name } } }"""))["article"]!["publication"]!;

        var node = await client.QueryAsync("query ($id: ID!) { node(id: $id) { __typename ... on Publication { name } } }", new { id = publication["id"].Text() });

        Assert.Equal(("Publication", "T4K3.news"), (node["node"]!["__typename"].Text(), node["node"]!["name"].Text()));
        Assert.Equal("T4K3.news", publication["name"].Text());
    }

    [Fact]
    public async Task An_unknown_slug_gives_null_not_an_error()
    {
        var data = await api.CreateGraphQLClient().QueryAsync("""{ article(slug: "no-such-article") { title } }""");

        Assert.Null(data["article"]);
    }
}
