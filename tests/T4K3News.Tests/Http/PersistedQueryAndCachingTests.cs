using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

public sealed class PersistedQueryAndCachingTests(ContentApi api) : IClassFixture<ContentApi>
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Persisted(string hash) => new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash } }.ToJsonString();

    private static async Task<JsonNode> PostAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsync("/graphql", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Automatic_persisted_queries_follow_Apollos_protocol_and_are_shared_through_PostgreSQL()
    {
        const string query = "query SeedTitle { article(slug: \"zelenskyy-calls-for-new-round-of-peace-talks-with-russia\") { title } }";
        var hash = Sha256(query);
        using var client = api.CreateClient();

        var unknown = await PostAsync(client, new JsonObject { ["extensions"] = JsonNode.Parse(Persisted(hash)) });
        var registered = await PostAsync(client, new JsonObject { ["query"] = query, ["extensions"] = JsonNode.Parse(Persisted(hash)) });
        using var otherInstance = api.WithWebHostBuilder(_ => { });
        using var byHashOnAnotherInstance = await otherInstance.CreateClient().GetAsync($"/graphql?extensions={Uri.EscapeDataString(Persisted(hash))}");

        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown["errors"]![0]!["extensions"]!["code"].Text());
        Assert.Equal("PersistedQueryNotFound", unknown["errors"]![0]!["message"].Text());
        Assert.Equal("Zelenskyy calls for new round of peace talks with Russia", registered["data"]!["article"]!["title"].Text());
        Assert.Equal(HttpStatusCode.OK, byHashOnAnotherInstance.StatusCode);
        Assert.Contains("Zelenskyy calls", await byHashOnAnotherInstance.Content.ReadAsStringAsync());
        await using var db = api.CreateDbContext();
        Assert.Equal(query, (await db.PersistedQueries.SingleAsync(q => q.Hash == hash)).Document);
    }

    [Fact]
    public async Task A_query_that_does_not_match_its_hash_is_refused()
    {
        using var client = api.CreateClient();

        var response = await PostAsync(client, new JsonObject { ["query"] = "{ __typename }", ["extensions"] = JsonNode.Parse(Persisted(Sha256("{ tags { totalCount } }"))) });

        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", response["errors"]![0]!["extensions"]!["code"].Text());
    }

    [Fact]
    public async Task Anonymous_GET_answers_are_cacheable_and_revalidate_with_an_ETag()
    {
        using var client = api.CreateClient();
        var url = $"/graphql?query={Uri.EscapeDataString("{ tags(first: 3) { nodes { slug } } }")}";

        using var first = await client.GetAsync(url);
        var etag = first.Headers.ETag!;
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, url);
        revalidation.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(revalidation);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        Assert.True(etag.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Answers_to_editors_and_to_POSTs_are_never_stored_by_shared_caches()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var url = $"/graphql?query={Uri.EscapeDataString("{ tags(first: 3) { nodes { slug } } }")}";

        using var editorGet = await editor.Http.GetAsync(url);
        using var anonymousPost = await api.CreateClient().PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));

        Assert.Equal("no-store, private", editorGet.Headers.CacheControl!.ToString());
        Assert.Null(editorGet.Headers.ETag);
        Assert.Equal("no-store", anonymousPost.Headers.CacheControl!.ToString());
    }
}

public sealed class AllowListApi : ContentApi
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["GraphQL:PersistedQueries"] = "AllowList" };
}

public sealed class AllowListTests(AllowListApi api) : IClassFixture<AllowListApi>
{
    [Fact]
    public async Task In_allow_list_mode_only_registered_operations_run()
    {
        var registeredQuery = "{ tags(first: 1) { totalCount } }";
        var file = Path.Combine(Path.GetTempPath(), $"t4k3news-{Guid.NewGuid():N}.graphql");
        await File.WriteAllTextAsync(file, registeredQuery);
        var (exitCode, output) = await ApiCommand.RunAsync(api.ConnectionString, "persisted-queries", "register", file);
        File.Delete(file);
        var client = api.CreateGraphQLClient();

        var registered = await client.PostAsync(registeredQuery);
        var other = await client.PostAsync("{ __typename }");
        var extensions = new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(registeredQuery))) } };
        using var byHash = await api.CreateClient().GetAsync($"/graphql?extensions={Uri.EscapeDataString(extensions.ToJsonString())}");

        Assert.True(exitCode == 0, output);
        Assert.Null(registered.Errors);
        Assert.Equal("PERSISTED_QUERY_NOT_ALLOWED", other.FirstErrorCode);
        Assert.Equal(HttpStatusCode.OK, byHash.StatusCode);
    }
}
