using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace T4K3News.Tests.Infrastructure;

/// <summary>Posts GraphQL operations to /graphql the way a front end does.</summary>
public sealed class GraphQLClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? operationName = null)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables, operationName });
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse((int)response.StatusCode, JsonNode.Parse(body)!.AsObject());
    }

    /// <summary>Runs an operation that must succeed and returns its <c>data</c>.</summary>
    public async Task<JsonNode> QueryAsync(string query, object? variables = null)
    {
        var response = await PostAsync(query, variables);
        Assert.True(response.Errors is null, $"Unexpected errors: {response.Errors?.ToJsonString()}");
        Assert.Equal(200, response.Status);
        return response.Data!;
    }
}

public sealed record GraphQLResponse(int Status, JsonObject Body)
{
    public JsonNode? Data => Body["data"];
    public JsonArray? Errors => Body["errors"]?.AsArray();
    public string? FirstErrorCode => Errors?[0]?["extensions"]?["code"]?.GetValue<string>();
    public string? FirstErrorMessage => Errors?[0]?["message"]?.GetValue<string>();
}

public static class JsonNodeExtensions
{
    public static string? Text(this JsonNode? node) => node?.GetValue<string>();

    public static IReadOnlyList<string?> Texts(this JsonNode? node, string property) =>
        node!.AsArray().Select(item => item![property]?.GetValue<string>()).ToList();

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
