using System.Text.Json.Nodes;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>What an editor sees: Debian's Chromium opening /graphql with every request off the machine blocked.</summary>
public sealed class BananaCakePopInBrowserTests(KestrelContentApi api) : IClassFixture<KestrelContentApi>
{
    [Fact]
    public async Task A_browser_with_no_internet_opens_Banana_Cake_Pop_at_graphql_and_runs_a_query_against_this_server()
    {
        if (!File.Exists("/usr/bin/chromium") && Environment.GetEnvironmentVariable("CHROMIUM") is null)
            throw new InvalidOperationException("This test drives Debian's Chromium: apt-get install chromium (bash .ci/run does), or set CHROMIUM to a Chromium binary.");

        var output = await NodeScripts.In("Http", "ide").RunAsync("ide-offline.mjs", api.GraphQLUrl,
            """{ article(slug: "zelenskyy-calls-for-new-round-of-peace-talks-with-russia") { title } }""");

        var result = JsonNode.Parse(output)!;
        Assert.Equal("Banana Cake Pop", result["title"].Text());
        Assert.Equal(api.GraphQLUrl + "/", result["landedOn"].Text());
        Assert.Empty(result["offMachineRequests"]!.AsArray());
        Assert.True(result["graphqlRequests"]!.GetValue<int>() > 1, "the IDE loads the schema from this endpoint, then runs the query");
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", result["answer"]!["data"]!["article"]!["title"].Text());
    }
}
