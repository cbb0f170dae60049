using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Hosting;

/// <summary>The host as its own process: Production refuses the defaults a public site must not publish.</summary>
public sealed class ProductionSettingsTests
{
    private const string SeedSlug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task In_Production_the_server_refuses_to_start_without_the_site_address_and_names_the_setting()
    {
        await using var server = ServerProcess.Start(await SettingsAsync("Production", siteBaseUrl: ""));

        var exitCode = await server.WaitForExitAsync(StartTimeout);

        Assert.Equal(78, exitCode);
        Assert.Contains("Site:BaseUrl is not set. In Production the server does not start without it", server.Output);
        Assert.Contains("Site__BaseUrl=https://www.example.com", server.Output);
        Assert.DoesNotContain("GraphQL endpoint", server.Output);
    }

    [Fact]
    public async Task In_Production_with_the_site_address_set_the_server_starts_and_links_to_it()
    {
        await using var server = ServerProcess.Start(await SettingsAsync("Production", siteBaseUrl: "https://www.t4k3.news"));

        Assert.Equal($"https://www.t4k3.news/articles/{SeedSlug}", await ReadSeedArticleUrlAsync(server));
    }

    [Fact]
    public async Task In_Development_the_site_address_defaults_to_the_local_front_end()
    {
        await using var server = ServerProcess.Start(await SettingsAsync("Development", siteBaseUrl: ""));

        Assert.Equal($"http://localhost:3000/articles/{SeedSlug}", await ReadSeedArticleUrlAsync(server));
    }

    /// <summary>A fresh database with the seeds; an empty <paramref name="siteBaseUrl"/> leaves the setting out.</summary>
    private static async Task<Dictionary<string, string>> SettingsAsync(string environment, string siteBaseUrl) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["ConnectionStrings__Content"] = await (await TestDatabaseServer.InstanceAsync()).CreateDatabaseAsync(),
        ["Import__SeedsPath"] = RepositoryPaths.Seeds,
        ["Site__BaseUrl"] = siteBaseUrl,
    };

    private static async Task<string?> ReadSeedArticleUrlAsync(ServerProcess server)
    {
        var url = await server.WaitForGraphQLUrlAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority)) };
        var data = await new GraphQLClient(http).QueryAsync($$"""{ article(slug: "{{SeedSlug}}") { url } }""");
        return data["article"]!["url"].Text();
    }
}
