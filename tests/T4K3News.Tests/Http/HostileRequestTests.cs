using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>Requests from the open internet that must be refused clearly (a GraphQL error code or a 4xx), never with a 5xx or a hang.</summary>
public sealed class HostileRequestTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string NormalQuery = """{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { title } }""";

    private Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content });
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string queryString) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql?" + queryString));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpRequestMessage request)
    {
        using var client = api.CreateClient();
        using (request)
        {
            request.Headers.Accept.ParseAdd("application/graphql-response+json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    private static string Query(string query) => new JsonObject { ["query"] = query }.ToJsonString();

    private static string? Code(JsonNode? body) => body?["errors"]?[0]?["extensions"]?["code"].Text();

    private async Task AssertStillServesAsync()
    {
        var data = await api.CreateGraphQLClient().QueryAsync(NormalQuery);
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", data["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_10_MB_body_gets_413_without_being_read_whole()
    {
        var (status, body) = await PostAsync(Query("{ __typename }" + new string(' ', 10 * 1024 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("REQUEST_BODY_TOO_LARGE", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_very_long_document_is_refused_before_it_is_parsed()
    {
        var (status, body) = await PostAsync(Query("{ __typename " + string.Concat(Enumerable.Repeat("# padding\n", 4_000)) + "}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("DOCUMENT_TOO_LARGE", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_query_deeper_than_the_limit_is_refused_before_it_runs()
    {
        var nested = "{ articles { nodes { " + string.Concat(Enumerable.Repeat("relatedArticles { ", 20)) + "title" + new string('}', 20) + " } } }";

        var (status, body) = await PostAsync(Query(nested));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MAX_DEPTH_EXCEEDED", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Two_hundred_levels_of_nesting_are_refused_not_crashed_on()
    {
        var nested = string.Concat(Enumerable.Repeat("{ a: __typename ", 200)) + new string('}', 200);

        var (status, body) = await PostAsync(Query(nested));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("SYNTAX_ERROR", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Fifty_articles_each_with_related_articles_three_levels_deep_cost_too_much_to_run()
    {
        const string expensive = "{ articles(first: 50) { nodes { title relatedArticles { title relatedArticles { title relatedArticles { title } } } } } }";
        api.Statements.Reset();

        var (status, body) = await PostAsync(Query(expensive));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", Code(body));
        Assert.Equal(0, api.Statements.Count);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_thousand_aliases_are_refused()
    {
        var aliases = "{ " + string.Concat(Enumerable.Range(0, 1_000).Select(i => $"a{i}: __typename ")) + "}";

        var (status, body) = await PostAsync(Query(aliases));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MAX_ALIASES_EXCEEDED", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Fragment_cycles_are_refused()
    {
        var (status, body) = await PostAsync(Query("""
            { articles { nodes { ...A } } }
            fragment A on Article { relatedArticles { ...B } }
            fragment B on Article { relatedArticles { ...A } }
            """));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NO_FRAGMENT_CYCLES", Code(body));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("query($first: Int) { articles(first: $first) { totalCount } }", """{ "first": 9223372036854775808 }""")]
    [InlineData("query($where: ArticleFilterInput) { articles(where: $where) { totalCount } }", """{ "where": { "createdAt": { "eq": "2025-02-30T00:00:00Z" } } }""")]
    public async Task A_variable_that_does_not_convert_gets_its_code_and_names_no_dotnet_exception(string query, string variables)
    {
        var request = new JsonObject { ["query"] = query, ["variables"] = JsonNode.Parse(variables) };
        var (status, body) = await PostAsync(request.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);

        var extensions = body!["errors"]![0]!["extensions"]!.AsObject();
        Assert.Equal("INVALID_VALUE", extensions["code"].Text());
        Assert.False(extensions.ContainsKey("codes"), extensions.ToJsonString()); // GraphQL.NET's list adds OVERFLOW, FORMAT
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_huge_batch_is_refused_whole()
    {
        var batch = "[" + string.Join(",", Enumerable.Repeat(Query("{ __typename }"), 500)) + "]";

        var (status, body) = await PostAsync(batch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BATCH_TOO_LARGE", Code(body));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("in the query")]
    [InlineData("in a variable")]
    [InlineData("in an operation of a batch")]
    public async Task A_body_with_invalid_UTF8_bytes_gets_400_REQUEST_MALFORMED(string where)
    {
        byte[] invalid = [0xC3, 0x28, 0xFF];
        var (before, after) = where switch
        {
            "in the query" => ("""{"query":"{ __typename } # """, "\"}"),
            "in a variable" => ("""{"query":"query ($slug: String!) { article(slug: $slug) { title } }","variables":{"slug":"a""", "b\"}}"),
            _ => ("""[{"query":"{ __typename }"},{"query":"{ __typename } # """, "\"}]"),
        };

        var (status, body) = await PostAsync([.. Encoding.UTF8.GetBytes(before), .. invalid, .. Encoding.UTF8.GetBytes(after)]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("REQUEST_MALFORMED", Code(body));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("""{"query":"\ud800"}""")]
    [InlineData("""{"query":"{ __typename } # \udfff"}""")]
    [InlineData("""{"query":"{ __typename } # \udc00\ud800"}""")]
    [InlineData("""{"query":"{ __typename }","operationName":"\ud800"}""")]
    [InlineData("""{"query":"query ($slug: String!) { article(slug: $slug) { title } }","variables":{"\ud800":"key"}}""")]
    [InlineData("""{"query":"query ($slug: String!) { article(slug: $slug) { title } }","variables":{"slug":"\udfff"}}""")]
    [InlineData("""{"query":"query ($where: ArticleFilterInput) { articles(where: $where) { totalCount } }","variables":{"where":{"slug":{"in":["fine","\ud800 nested"]}}}}""")]
    [InlineData("""{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"\ud800"}}}""")]
    [InlineData("""{"query":"{ __typename }","\ud800":"an unknown member"}""")]
    [InlineData("""[{"query":"{ __typename }"},{"query":"query ($slug: String!) { article(slug: $slug) { title } }","variables":{"slug":"\udc00\ud800"}}]""")]
    public async Task A_body_with_an_unpaired_surrogate_escape_gets_400_REQUEST_MALFORMED(string json)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("REQUEST_MALFORMED", Code(body));
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("query=%7B%20__typename%20%7D%20%23%20%C3%28%FF")]
    [InlineData("query=%ED%A0%80")]
    [InlineData("query=%7B%20__typename%20%7D&operationName=%ED%B0%80%ED%A0%80")]
    [InlineData("query=query%20(%24slug%3A%20String!)%20%7B%20article(slug%3A%20%24slug)%20%7B%20title%20%7D%20%7D&variables=%7B%22slug%22%3A%22%FF%22%7D")]
    [InlineData("query=query%20(%24slug%3A%20String!)%20%7B%20article(slug%3A%20%24slug)%20%7B%20title%20%7D%20%7D&variables=%7B%22slug%22%3A%22%5Cud800%22%7D")]
    [InlineData("query=%7B%20__typename%20%7D&extensions=%7B%22x%22%3A%7B%22%5Cudfff%22%3A1%7D%7D")]
    public async Task A_query_string_that_is_not_UTF8_text_gets_400_REQUEST_MALFORMED(string queryString)
    {
        var (status, body) = await GetAsync(queryString);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("REQUEST_MALFORMED", Code(body));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Text_with_escaped_surrogate_pairs_still_runs()
    {
        var (status, body) = await PostAsync("""{"query":"query ($slug: String!) { article(slug: $slug) { title } } # \ud83d\udcf0","variables":{"slug":"\ud83d\udcf0-news"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body!["errors"]);
        Assert.Null(body["data"]!["article"]);
    }

    [Fact]
    public async Task Deep_introspection_is_refused_but_the_IDEs_introspection_query_passes()
    {
        var deep = "{ __schema { types { " + string.Concat(Enumerable.Repeat("fields { type { ", 8)) + "name" + new string('}', 16) + " } } }";
        var (deepStatus, deepBody) = await PostAsync(Query(deep));
        var (standardStatus, standardBody) = await PostAsync(Query(StandardIntrospectionQuery));

        Assert.Equal(HttpStatusCode.BadRequest, deepStatus);
        Assert.Equal("MAX_DEPTH_EXCEEDED", Code(deepBody));
        Assert.Equal(HttpStatusCode.OK, standardStatus);
        Assert.Equal("Query", standardBody!["data"]!["__schema"]!["queryType"]!["name"].Text());
    }

    private const string StandardIntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """;
}
