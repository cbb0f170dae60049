using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>
/// Every list and nesting level a client can put into an argument is bounded and refused with a code before any
/// resolver, expression tree or SQL statement sees it; the server keeps answering after each refusal.
/// </summary>
public sealed class InputBoundsTests(NewsroomApi api) : IClassFixture<NewsroomApi>
{
    private const string ArticlesWhere = "query ($where: ArticleFilterInput) { articles(where: $where) { nodes { slug } } }";

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string query, object? variables = null)
    {
        using var client = api.CreateClient();
        var body = new JsonObject { ["query"] = query, ["variables"] = variables is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(variables)) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static string? Code(JsonNode? body) => body?["errors"]?[0]?["extensions"]?["code"].Text();

    private async Task AssertRefusedAsync(string code, string query, object? variables = null)
    {
        api.Statements.Reset();
        var (status, body) = await PostAsync(query, variables);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(code == Code(body), body?.ToJsonString());
        Assert.Equal(0, api.Statements.Count);
        var still = await api.CreateGraphQLClient().QueryAsync("{ article(slug: \"story-01\") { title } }");
        Assert.Equal("Story 01", still["article"]!["title"].Text());
    }

    private static Dictionary<string, object> SlugIs(string slug) => new() { ["slug"] = new Dictionary<string, object> { ["eq"] = slug } };

    [Fact]
    public async Task A_filter_with_ten_thousand_or_items_is_refused_with_INVALID_FILTER()
    {
        var where = new { or = Enumerable.Range(0, 10_000).Select(_ => SlugIs("x")).ToList() };

        await AssertRefusedAsync("INVALID_FILTER", ArticlesWhere, new { where });
    }

    [Fact]
    public async Task An_and_nested_3_000_levels_deep_is_refused_as_a_variable_and_as_a_literal()
    {
        var variable = string.Concat(Enumerable.Repeat("{\"and\":[", 3_000)) + "{}" + string.Concat(Enumerable.Repeat("]}", 3_000));
        using var client = api.CreateClient();
        var json = "{\"query\":" + System.Text.Json.JsonSerializer.Serialize(ArticlesWhere) + ",\"variables\":{\"where\":" + variable + "}}";
        using var response = await client.PostAsync("/graphql", new StringContent(json, Encoding.UTF8, "application/json"));
        var literal = "{ articles(where: " + string.Concat(Enumerable.Repeat("{ and: [", 3_000)) + "{}" + string.Concat(Enumerable.Repeat("] }", 3_000)) + ") { nodes { slug } } }";

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("REQUEST_MALFORMED", Code(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
        var (status, body) = await PostAsync(literal);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("DOCUMENT_TOO_LARGE", Code(body));
        await AssertRefusedAsync("INVALID_FILTER", ArticlesWhere, new { where = Nest(11) });
    }

    [Fact]
    public async Task A_filter_ten_levels_deep_and_a_hundred_items_wide_still_runs()
    {
        var wide = new { or = Enumerable.Range(1, 100).Select(n => SlugIs($"story-{n:00}")).ToList() };

        var widePage = await api.CreateGraphQLClient().QueryAsync("query ($where: ArticleFilterInput) { articles(first: 50, where: $where) { totalCount } }", new { where = wide });
        var deepPage = await api.CreateGraphQLClient().QueryAsync(ArticlesWhere, new { where = Nest(10) });

        Assert.Equal(60, widePage["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["story-01"], deepPage["articles"]!["nodes"].Texts("slug"));
    }

    /// <summary>A filter whose input objects nest <paramref name="levels"/> deep, matching story-01 alone.</summary>
    private static object Nest(int levels)
    {
        object filter = SlugIs("story-01");
        for (var level = 3; level <= levels; level++)
            filter = new Dictionary<string, object> { ["and"] = new[] { filter } };
        return filter;
    }

    [Fact]
    public async Task An_in_list_longer_than_the_limit_is_refused()
    {
        var where = new { slug = new { @in = Enumerable.Range(0, 101).Select(n => $"story-{n}").ToList() } };

        await AssertRefusedAsync("INVALID_FILTER", ArticlesWhere, new { where });
    }

    [Fact]
    public async Task Fifteen_thousand_order_clauses_are_refused_and_ten_are_accepted()
    {
        const string query = "query ($order: [ArticleSortInput!]) { articles(first: 1, order: $order) { nodes { slug } } }";

        await AssertRefusedAsync("INVALID_FILTER", query, new { order = Enumerable.Repeat(new { title = "ASC" }, 15_000) });
        await AssertRefusedAsync("INVALID_FILTER", query, new { order = Enumerable.Repeat(new { title = "ASC" }, 11) });
        var ten = await api.CreateGraphQLClient().QueryAsync(query, new { order = Enumerable.Repeat(new { title = "DESC" }, 10) });
        Assert.Equal(["story-60"], ten["articles"]!["nodes"].Texts("slug"));
    }

    [Fact]
    public async Task Fifteen_thousand_node_ids_are_refused_with_TOO_MANY_IDS_and_fifty_are_answered()
    {
        const string query = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }";
        static string Id(int n) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"Article:{n}"));

        await AssertRefusedAsync("TOO_MANY_IDS", query, new { ids = Enumerable.Range(1, 15_000).Select(n => $"{n}") });
        await AssertRefusedAsync("TOO_MANY_IDS", query, new { ids = Enumerable.Range(1, 51).Select(Id) });
        var fifty = await api.CreateGraphQLClient().QueryAsync(query, new { ids = Enumerable.Range(1, 50).Select(Id) });
        Assert.Equal(50, fifty["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Forty_aliases_of_nodes_cost_what_they_load_and_are_refused()
    {
        var ids = Enumerable.Range(1, 50).Select(n => Convert.ToBase64String(Encoding.UTF8.GetBytes($"Article:{n}"))).ToList();
        const string selection = "... on Article { title takeaways { text } quotes { text } tags { name } relatedArticles { title tags { name } } }";
        var one = $"query ($ids: [ID!]!) {{ a0: nodes(ids: $ids) {{ {selection} }} }}";
        var forty = "query ($ids: [ID!]!) { " + string.Concat(Enumerable.Range(0, 40).Select(i => $"a{i}: nodes(ids: $ids) {{ {selection} }} ")) + "}";

        var single = await api.CreateGraphQLClient().QueryAsync(one, new { ids });
        Assert.Equal(50, single["a0"]!.AsArray().Count);
        await AssertRefusedAsync("MAX_COMPLEXITY_EXCEEDED", forty, new { ids });
    }

    [Fact]
    public async Task A_NUL_character_in_a_read_argument_is_refused_with_INVALID_TEXT_before_it_reaches_PostgreSQL()
    {
        await AssertRefusedAsync("INVALID_TEXT", "{ article(slug: \"story\\u0000-01\") { title } }");
        await AssertRefusedAsync("INVALID_TEXT", ArticlesWhere, new { where = new { slug = new { @in = new[] { "story-01", "a\0b" } } } });
    }

    [Fact]
    public async Task A_variable_left_to_its_default_is_bounded_like_one_that_was_sent()
    {
        // Found by the fuzzer: a default holding a NUL reached PostgreSQL through resolveSlug.
        await AssertRefusedAsync("INVALID_TEXT", "query ($slug: String! = \"a\\u0000b\") { resolveSlug(slug: $slug) { isRedirect } }");
        await AssertRefusedAsync("INVALID_TEXT", "query ($slug: String! = \"a\\u0000b\") { article(slug: $slug) { title } }");
        var ids = string.Join(", ", Enumerable.Range(1, 51).Select(n => $"\"{n}\""));
        await AssertRefusedAsync("TOO_MANY_IDS", $"query ($ids: [ID!]! = [{ids}]) {{ nodes(ids: $ids) {{ id }} }}");
    }

    [Fact]
    public async Task A_document_that_once_passed_is_still_bounded_by_the_variables_it_comes_with_next()
    {
        const string nodes = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }";
        const string deep = "query ($n: Int) { articles(first: $n) { nodes { title relatedArticles { title relatedArticles { title relatedArticles { title } } } } } }";

        await api.CreateGraphQLClient().QueryAsync(nodes, new { ids = new[] { "QXJ0aWNsZTox" } });
        await api.CreateGraphQLClient().QueryAsync(deep, new { n = 1 });

        await AssertRefusedAsync("TOO_MANY_IDS", nodes, new { ids = Enumerable.Range(1, 15_000).Select(n => $"{n}") });
        await AssertRefusedAsync("MAX_COMPLEXITY_EXCEEDED", deep, new { n = 50 });
    }

    [Fact]
    public async Task A_bad_id_in_nodes_nulls_only_its_own_entry_with_an_error_at_its_path()
    {
        var good = Convert.ToBase64String(Encoding.UTF8.GetBytes("Article:1"));

        var response = await api.CreateGraphQLClient().PostAsync("query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Article { title } } }",
            new { ids = new[] { good, "not-an-id", good } });

        Assert.Equal(200, response.Status);
        var nodes = response.Data!["nodes"]!.AsArray();
        Assert.Equal("Story 01", nodes[0]!["title"].Text());
        Assert.Null(nodes[1]);
        Assert.Equal("Story 01", nodes[2]!["title"].Text());
        var error = Assert.Single(response.Errors!);
        Assert.Equal("INVALID_ID", error!["extensions"]!["code"].Text());
        Assert.Equal("""["nodes",1]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public async Task A_mutation_input_list_longer_than_the_limit_is_refused_before_the_write()
    {
        var token = await api.CreateTokenAsync(T4K3News.Content.Auth.TokenRole.Editor);
        using var client = api.CreateClient();
        var body = new JsonObject
        {
            ["query"] = "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id } } }",
            ["variables"] = new JsonObject { ["input"] = new JsonObject { ["title"] = "T", ["standfirst"] = "S", ["body"] = "B", ["takeaways"] = new JsonArray([.. Enumerable.Range(0, 5_000).Select(_ => (JsonNode?)JsonValue.Create("x"))]) } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text[..Math.Min(2000, text.Length)]);
        Assert.Equal("INPUT_TOO_LARGE", Code(JsonNode.Parse(text)));
    }
}
