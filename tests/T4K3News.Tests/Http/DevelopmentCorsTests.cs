using System.Net;
using System.Text;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>The server as <c>dotnet run</c> starts it: Development, with no CORS origins configured.</summary>
public sealed class DevelopmentApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override string EnvironmentName => "Development";
}

/// <summary>Production with the local front end's address set explicitly, and no CORS origins configured.</summary>
public sealed class ProductionApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override string EnvironmentName => "Production";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Site:BaseUrl"] = "http://localhost:3000",
    };
}

public sealed class DevelopmentCorsTests(DevelopmentApi api) : IClassFixture<DevelopmentApi>
{
    [Fact]
    public async Task In_Development_the_local_front_end_passes_the_preflight_with_the_headers_it_sends()
    {
        using var client = api.CreateClient();

        using var preflight = await client.SendAsync(Cors.Preflight("http://localhost:3000"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("http://localhost:3000", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET,POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("Authorization,Content-Type,Accept,X-Preview-Token",
            preflight.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("3600", preflight.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Fact]
    public async Task In_Development_the_local_front_ends_request_is_answered_with_its_origin_and_the_exposed_headers()
    {
        using var client = api.CreateClient();

        using var answer = await client.SendAsync(Cors.Query("http://localhost:3000"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("http://localhost:3000", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("ETag,Retry-After", answer.Headers.GetValues("Access-Control-Expose-Headers").Single());
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task In_Development_other_origins_are_not_allowed()
    {
        using var client = api.CreateClient();

        using var preflight = await client.SendAsync(Cors.Preflight("http://localhost:3001"));
        using var answer = await client.SendAsync(Cors.Query("https://evil.example"));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class ProductionCorsTests(ProductionApi api) : IClassFixture<ProductionApi>
{
    [Fact]
    public async Task In_Production_the_site_address_is_not_an_allowed_origin_unless_configured()
    {
        using var client = api.CreateClient();

        using var preflight = await client.SendAsync(Cors.Preflight("http://localhost:3000"));
        using var answer = await client.SendAsync(Cors.Query("http://localhost:3000"));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

internal static class Cors
{
    public static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    public static HttpRequestMessage Query(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        return request;
    }
}
