using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

public sealed class BananaCakePopTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private HttpClient Browser()
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client;
    }

    [Fact]
    public async Task A_browser_opening_graphql_is_sent_to_the_IDE()
    {
        using var response = await Browser().GetAsync("/graphql");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/graphql/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_IDE_is_the_official_Banana_Cake_Pop_build_served_from_this_server()
    {
        using var page = await Browser().GetAsync("/graphql/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<title>Banana Cake Pop</title>", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(static/js/main\\.[^\"]+\\.js)\"").Groups[1].Value;
        using var asset = await Browser().GetAsync($"/graphql/{script}");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }

    [Fact]
    public async Task The_IDE_is_configured_to_use_this_endpoint_and_send_no_telemetry()
    {
        var config = JsonNode.Parse(await Browser().GetStringAsync("/graphql/bcp-config.json"))!;

        Assert.True(config["useBrowserUrlAsEndpoint"]!.GetValue<bool>());
        Assert.Equal("/graphql", config["endpoint"].Text());
        Assert.True(config["disableTelemetry"]!.GetValue<bool>());
        Assert.Null(config["gaTrackingId"]);
    }

    [Fact]
    public async Task The_service_worker_the_IDE_registers_is_served_and_intercepts_nothing()
    {
        using var response = await Browser().GetAsync("/graphql/service-worker.js");
        var script = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.DoesNotContain("'fetch'", script); // no fetch handler: every request goes to this server, never to a cached IDE
        Assert.Contains("skipWaiting", script);
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/graphql-response+json")]
    public async Task API_clients_get_GraphQL_not_the_page(string accept)
    {
        using var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);

        using var response = await client.GetAsync("/graphql?query=%7B__typename%7D");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Query", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["__typename"].Text());
    }
}

public sealed class WithoutIdeApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Ide:Path"] = "/nonexistent/bananacakepop" };
}

public sealed class MissingIdeTests(WithoutIdeApi api) : IClassFixture<WithoutIdeApi>
{
    [Fact]
    public async Task Without_the_IDE_package_the_page_says_how_to_get_it_and_GraphQL_still_answers()
    {
        using var browser = api.CreateClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var page = await browser.GetStringAsync("/graphql/");
        var data = await api.CreateGraphQLClient().QueryAsync("{ __typename }");

        Assert.Contains("dotnet build src/T4K3News.Api", page);
        Assert.Contains("npm", page);
        Assert.Equal("Query", data["__typename"].Text());
    }
}
