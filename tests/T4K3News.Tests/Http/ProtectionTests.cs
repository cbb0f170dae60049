using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

public sealed class RateLimitedApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:AnonymousPermitLimit"] = "3",
        ["RateLimiting:EditorPermitLimit"] = "4",
        ["RateLimiting:ReaderTokenPermitLimit"] = "4", // an address may send the larger of the two with tokens
        ["RateLimiting:InvalidTokenPermitLimit"] = "2",
        ["RateLimiting:Window"] = "00:10:00",
    };
}

public sealed class RateLimitingTests(RateLimitedApi api) : IClassFixture<RateLimitedApi>
{
    [Fact]
    public async Task Anonymous_clients_over_their_limit_get_429_with_Retry_After_while_editors_go_on()
    {
        using var anonymous = api.CreateClient();
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await anonymous.PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            refused = response;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(refused!.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal("RATE_LIMITED", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("Query", (await editor.QueryAsync("{ __typename }"))["__typename"].Text());
    }

    [Fact]
    public async Task Random_bearer_tokens_are_refused_with_429_before_they_are_looked_up_once_an_address_has_sent_too_many()
    {
        var statuses = new List<int>();
        var lookups = new List<int>();
        GraphQLResponse? refused = null;
        for (var i = 0; i < 10; i++)
        {
            api.Statements.Reset();
            var response = await api.CreateGraphQLClientFrom(Address(10), $"t4k_random-{Guid.NewGuid():N}").PostAsync("{ __typename }");
            statuses.Add(response.Status);
            lookups.Add(api.Statements.Count);
            refused = response;
        }

        Assert.Equal([200, 200, 429, 429, 429, 429, 429, 429, 429, 429], statuses);
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], lookups);
        Assert.Equal("RATE_LIMITED", refused!.FirstErrorCode);
        Assert.Equal("Query", (await api.CreateGraphQLClientFrom(Address(11)).QueryAsync("{ __typename }"))["__typename"].Text());
    }

    [Fact]
    public async Task Requests_with_tokens_are_limited_per_address_before_the_lookup_and_per_token_after_it()
    {
        var (first, second, third) = (await api.CreateTokenAsync(TokenRole.Editor), await api.CreateTokenAsync(TokenRole.Editor), await api.CreateTokenAsync(TokenRole.Editor));

        var oneAddress = new List<int>();
        foreach (var token in new[] { first, first, second, second, third })
            oneAddress.Add((await api.CreateGraphQLClientFrom(Address(20), token).PostAsync("{ __typename }")).Status);
        api.Statements.Reset();
        var refusedBeforeLookup = await api.CreateGraphQLClientFrom(Address(20), $"t4k_random-{Guid.NewGuid():N}").PostAsync("{ __typename }");
        var lookupsForRefused = api.Statements.Count;

        var oneToken = new List<int>();
        foreach (var address in new[] { 30, 31, 32, 33, 34 })
            oneToken.Add((await api.CreateGraphQLClientFrom(Address(address), first).PostAsync("{ __typename }")).Status);
        var otherToken = await api.CreateGraphQLClientFrom(Address(34), third).PostAsync("{ __typename }");

        Assert.Equal([200, 200, 200, 200, 429], oneAddress);
        Assert.Equal(429, refusedBeforeLookup.Status);
        Assert.Equal(0, lookupsForRefused);
        Assert.Equal([200, 200, 429, 429, 429], oneToken);
        Assert.Equal(200, otherToken.Status);
    }

    [Fact]
    public async Task Health_probes_never_look_up_a_token_so_tokens_sent_to_them_cost_nothing()
    {
        api.Statements.Reset();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await api.CreateGraphQLClientFrom(Address(40), $"t4k_random-{Guid.NewGuid():N}").Http.GetAsync("/health/live");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(0, api.Statements.Count);
    }

    private static IPAddress Address(int last) => IPAddress.Parse($"203.0.113.{last}");
}

public sealed class LockedDownApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:EnableIntrospection"] = "false",
        ["Cors:AllowedOrigins:0"] = "https://www.t4k3.news",
    };
}

public sealed class LockedDownTests(LockedDownApi api) : IClassFixture<LockedDownApi>
{
    [Fact]
    public async Task With_introspection_off_schema_questions_are_refused_but_typename_still_answers()
    {
        var client = api.CreateGraphQLClient();

        var schema = await client.PostAsync("{ __schema { queryType { name } } }");
        var type = await client.PostAsync("""{ __type(name: "Article") { name } }""");
        var typename = await client.QueryAsync("{ __typename }");

        Assert.Equal("INTROSPECTION_DISABLED", schema.FirstErrorCode);
        Assert.Equal("INTROSPECTION_DISABLED", type.FirstErrorCode);
        Assert.Equal("Query", typename["__typename"].Text());
    }

    [Fact]
    public async Task A_configured_front_end_origin_passes_the_CORS_preflight_and_others_do_not()
    {
        using var client = api.CreateClient();

        using var allowed = await client.SendAsync(Preflight("https://www.t4k3.news"));
        using var other = await client.SendAsync(Preflight("https://evil.example"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://www.t4k3.news", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}

public sealed class ImpatientApi : ContentApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:ExecutionTimeout"] = "00:00:00.0000001" };
}

public sealed class TimeoutTests(ImpatientApi api) : IClassFixture<ImpatientApi>
{
    [Fact]
    public async Task An_operation_that_outlives_the_timeout_is_stopped_with_REQUEST_TIMEOUT()
    {
        var response = await api.CreateGraphQLClient().PostAsync("{ articles(first: 50) { nodes { title takeaways { text } } } }");

        Assert.Equal(200, response.Status);
        Assert.Equal("REQUEST_TIMEOUT", response.FirstErrorCode);
    }
}

public sealed class UnreachableDatabaseApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Content"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=wrong;Database=none;Timeout=2",
        ["Database:MigrateOnStartup"] = "false",
    };
}

public sealed class InternalErrorTests(UnreachableDatabaseApi api) : IClassFixture<UnreachableDatabaseApi>
{
    [Fact]
    public async Task An_outage_reaches_clients_as_INTERNAL_SERVER_ERROR_without_internal_details()
    {
        var response = await api.CreateGraphQLClient().PostAsync("{ articles { nodes { title } } }");

        var text = response.Body.ToJsonString();
        Assert.Equal(200, response.Status);
        Assert.Equal("INTERNAL_SERVER_ERROR", response.FirstErrorCode);
        Assert.Equal("An unexpected error occurred; it has been logged.", response.FirstErrorMessage);
        Assert.DoesNotContain("Npgsql", text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("127.0.0.1", text);
    }
}
