using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>What readers and editors see: Debian's Chromium opening /graphql with every request off the machine blocked.</summary>
public sealed class BananaCakePopInBrowserTests(KestrelContentApi api) : IClassFixture<KestrelContentApi>
{
    [Fact]
    public async Task A_browser_with_no_internet_opens_Banana_Cake_Pop_at_graphql_and_runs_a_query_against_this_server_with_a_clean_console()
    {
        var result = await RunInIdeAsync("""{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { title } }""");

        Assert.Equal("Banana Cake Pop", result["title"].Text());
        Assert.Equal(api.GraphQLUrl + "/", result["landedOn"].Text());
        Assert.Empty(result["offMachineRequests"]!.AsArray());
        AssertTheIdeRanCleanly(result);
        Assert.True(result["graphqlRequests"]!.GetValue<int>() > 1, "the IDE loads the schema from this endpoint, then runs the query");
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", result["answer"]!["data"]!["article"]!["title"].Text());
    }

    [Fact]
    public async Task An_editor_enters_a_token_in_the_IDEs_HTTP_Headers_tab_and_creates_a_draft_as_the_README_shows()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);

        var result = await RunInIdeAsync(
            """mutation { createArticle(input: { title: "Night trains return to the Baltic coast", standfirst: "S.", body: "B." }) { article { slug status } } }""",
            $"Bearer {token}");

        Assert.Equal($"Bearer {token}", result["sentAuthorization"].Text());
        Assert.Empty(result["offMachineRequests"]!.AsArray());
        AssertTheIdeRanCleanly(result);
        var article = result["answer"]!["data"]!["createArticle"]!["article"]!;
        Assert.Equal(("night-trains-return-to-the-baltic-coast", "DRAFT"), (article["slug"].Text(), article["status"].Text()));
    }

    [Fact]
    public async Task An_editor_watches_the_desk_live_from_the_IDE_over_its_WebSocket()
    {
        var token = await api.CreateTokenAsync(TokenRole.Editor);

        var result = await RunInIdeAsync("subscription { articleChanged { changedFields article { title status } } }", $"Bearer {token}");

        Assert.Equal(api.GraphQLUrl.Replace("http://", "ws://"), result["webSocket"].Text());
        Assert.Equal($"Bearer {token}", result["sentAuthorization"].Text());
        Assert.Empty(result["offMachineRequests"]!.AsArray());
        AssertTheIdeRanCleanly(result);
        var change = result["answer"]!["data"]!["articleChanged"]!;
        Assert.Equal(["created"], change["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.StartsWith("Live from the desk", change["article"]!["title"].Text());
        Assert.Equal("DRAFT", change["article"]!["status"].Text());
    }

    /// <summary>No console error and no request to this server that failed or was refused: a newcomer's first look shows no red.</summary>
    private static void AssertTheIdeRanCleanly(JsonNode result)
    {
        var consoleErrors = result["consoleErrors"]!.AsArray().Select(e => e.Text()).ToList();
        var failedRequests = result["failedRequests"]!.AsArray().Select(e => e.Text()).ToList();
        Assert.True(consoleErrors.Count == 0, "Console errors:\n" + string.Join("\n", consoleErrors));
        Assert.True(failedRequests.Count == 0, "Failed requests:\n" + string.Join("\n", failedRequests));
    }

    private async Task<JsonNode> RunInIdeAsync(string operation, string? authorization = null)
    {
        if (!File.Exists("/usr/bin/chromium") && Environment.GetEnvironmentVariable("CHROMIUM") is null)
            throw new InvalidOperationException("This test drives Debian's Chromium: apt-get install chromium (bash .ci/run does), or set CHROMIUM to a Chromium binary.");

        string[] arguments = authorization is null ? [api.GraphQLUrl, operation] : [api.GraphQLUrl, operation, authorization];
        return JsonNode.Parse(await NodeScripts.In("Http", "ide").RunAsync("ide-offline.mjs", arguments))!;
    }
}
