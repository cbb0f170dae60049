using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

public sealed class GraphQLOverHttpTests(ContentApi api) : IClassFixture<ContentApi>
{
    private const string SeedTitleQuery = """{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { title } }""";

    [Fact]
    public async Task A_query_can_be_sent_with_GET()
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/graphql-response+json");

        using var response = await client.GetAsync($"/graphql?query={Uri.EscapeDataString(SeedTitleQuery)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", body["data"]!["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_mutation_over_GET_is_refused_with_405()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync($"/graphql?query={Uri.EscapeDataString("mutation { anything }")}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Equal("MUTATION_OVER_GET_NOT_ALLOWED", await FirstErrorCode(response));
    }

    [Theory]
    [InlineData("*/*", "application/json")]
    [InlineData(null, "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json")]
    public async Task Responses_use_the_media_type_the_client_accepts(string? accept, string expected)
    {
        using var client = api.CreateClient();
        using var request = JsonPost(SeedTitleQuery);
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_client_accepting_nothing_we_speak_gets_406()
    {
        using var client = api.CreateClient();
        using var request = JsonPost(SeedTitleQuery);
        request.Headers.TryAddWithoutValidation("Accept", "text/plain");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("NOT_ACCEPTABLE", await FirstErrorCode(response));
    }

    [Theory]
    [InlineData("{ \"query\": ", "REQUEST_MALFORMED")]
    [InlineData("", "REQUEST_MALFORMED")]
    [InlineData("\"just a string\"", "REQUEST_MALFORMED")]
    [InlineData("{ \"query\": 42 }", "REQUEST_MALFORMED")]
    [InlineData("{ \"query\": \"{ __typename }\", \"variables\": [1] }", "REQUEST_MALFORMED")]
    [InlineData("{ \"operationName\": \"x\" }", "QUERY_MISSING")]
    [InlineData("[]", "REQUEST_MALFORMED")]
    public async Task Malformed_requests_get_400_with_a_code(string body, string code)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await FirstErrorCode(response));
        await AssertStillServes();
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_415()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsync("/graphql", new StringContent("query=%7B__typename%7D", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", await FirstErrorCode(response));
    }

    [Theory]
    [InlineData("{ article(slug: ", "SYNTAX_ERROR")]
    [InlineData("{ article(slug: \"x\") { noSuchField } }", "FIELDS_ON_CORRECT_TYPE")]
    [InlineData("{ article { title } }", "PROVIDED_NON_NULL_ARGUMENTS")]
    public async Task Documents_that_fail_to_parse_or_validate_get_400_in_the_graphql_response_media_type(string query, string code)
    {
        using var client = api.CreateClient();
        using var request = JsonPost(query);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await FirstErrorCode(response));
    }

    [Fact]
    public async Task Documents_that_fail_to_validate_get_200_in_plain_json()
    {
        var response = await api.CreateGraphQLClient().PostAsync("{ article(slug: \"x\") { noSuchField } }");

        Assert.Equal(200, response.Status);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", response.FirstErrorCode);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task An_unknown_operation_name_is_an_error_with_a_code()
    {
        var response = await api.CreateGraphQLClient().PostAsync("query A { __typename } query B { __typename }", operationName: "C");

        Assert.Equal(200, response.Status);
        Assert.Equal("INVALID_OPERATION_NAME", response.FirstErrorCode);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task Wrongly_typed_variables_are_an_error_with_a_code()
    {
        var response = await api.CreateGraphQLClient().PostAsync("query ($slug: String!) { article(slug: $slug) { title } }", new { slug = new[] { 1, 2 } });

        Assert.Equal(200, response.Status);
        Assert.Equal("INVALID_VALUE", response.FirstErrorCode);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task A_batch_runs_each_operation_in_order()
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsync("/graphql", new StringContent(
            """[{ "query": "{ __typename }" }, { "query": "{ tags { totalCount } }" }]""", Encoding.UTF8, "application/json"));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, body.Count);
        Assert.Equal("Query", body[0]!["data"]!["__typename"].Text());
        Assert.True(body[1]!["data"]!["tags"]!["totalCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Other_methods_get_405()
    {
        using var client = api.CreateClient();

        using var response = await client.DeleteAsync("/graphql");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("REQUEST_MALFORMED", await FirstErrorCode(response));
    }

    private static HttpRequestMessage JsonPost(string query) =>
        new(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };

    private static async Task<string?> FirstErrorCode(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"].Text();

    private async Task AssertStillServes()
    {
        var data = await api.CreateGraphQLClient().QueryAsync(SeedTitleQuery);
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", data["article"]!["title"].Text());
    }
}
