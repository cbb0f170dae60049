using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Http;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Subscriptions;

/// <summary>The reference client of graphql-transport-ws, graphql-ws, against the real server.</summary>
public sealed class GraphQLWsClientTests(KestrelContentApi api) : IClassFixture<KestrelContentApi>
{
    [Fact]
    public async Task The_graphql_ws_client_runs_a_query_and_hears_an_articles_changes_as_an_editor()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);
        var article = await api.CreateGraphQLClient(token).QueryAsync("""{ article(slug: "kyiv-begins-winter-power-grid-upgrade") { id } }""");
        var articleId = article["article"]!["id"].Text()!;

        var output = JsonNode.Parse(await NodeScripts.In("Subscriptions", "graphql-ws").RunAsync("live-preview.mjs", api.GraphQLUrl, token, articleId))!;

        Assert.Equal("Query", output["query"]!["data"]!["__typename"].Text());
        var change = output["change"]!["data"]!["articleChanged"]!;
        Assert.Equal(articleId, change["articleId"].Text());
        Assert.Equal(["title"], change["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.StartsWith("Live title", change["article"]!["title"].Text());
    }
}
