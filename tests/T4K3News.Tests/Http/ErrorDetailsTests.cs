using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Audit;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http;

/// <summary>
/// The newsroom in an environment, with a resolver that fails with an exception of the kind a bug throws: every
/// mutation asks for the audit log first, and here that service cannot be made.
/// </summary>
public abstract class NewsroomIn(string environment) : NewsroomApi
{
    public const string Secret = "the audit store at /srv/secret-path";

    protected override string EnvironmentName => environment;

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Site:BaseUrl"] = "https://www.t4k3.news/" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
            services.AddScoped<AuditLog>(_ => throw new InvalidOperationException($"Cannot open {Secret}.")));
    }
}

public sealed class NewsroomInProduction() : NewsroomIn("Production");

public sealed class NewsroomInDevelopment() : NewsroomIn("Development");

/// <summary>
/// Production answers every kind of error with its message and one documented code, never .NET's exception details
/// or GraphQL.NET's codes made from exception names; Development adds exactly <c>details</c> and <c>codes</c> to each
/// error.
/// </summary>
public sealed class ErrorDetailsTests(NewsroomInProduction production, NewsroomInDevelopment development)
    : IClassFixture<NewsroomInProduction>, IClassFixture<NewsroomInDevelopment>
{
    private const string CreateTag = """{"query":"mutation { createTag(input: { name: \"Oops\" }) { tag { id } } }"}""";

    public static TheoryData<string, string, int, string> Kinds => new()
    {
        { "syntax", """{"query":"{ article(slug: "}""", 400, "SYNTAX_ERROR" },
        { "validation", """{"query":"{ article(slug: \"story-01\") { noSuchField } }"}""", 400, "FIELDS_ON_CORRECT_TYPE" },
        {
            "variable",
            """{"query":"query ($n: Int) { articles(first: $n) { totalCount } }","variables":{"n":9223372036854775808}}""",
            400, "INVALID_VALUE"
        },
        { "argument", """{"query":"{ node(id: \"not-an-id\") { id } }"}""", 200, "INVALID_ID" },
        {
            "authorization", """{"query":"{ article(slug: \"story-01\") { title previewLinks { id } } }"}""",
            200, "AUTH_NOT_AUTHENTICATED"
        },
        { "resolver exception", CreateTag, 200, "INTERNAL_SERVER_ERROR" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Production_sends_neither_details_nor_dotnet_codes_and_Development_adds_exactly_those(
        string kind, string request, int status, string code)
    {
        var (productionStatus, inProduction) = await PostAsync(production, request);
        var (developmentStatus, inDevelopment) = await PostAsync(development, request);

        Assert.True(status == productionStatus, kind);
        Assert.Equal(productionStatus, developmentStatus);
        AssertBare(inProduction, code);
        AssertDetailed(inDevelopment, code);
        Assert.Equal(inProduction.ToJsonString(), WithoutDetails(inDevelopment).ToJsonString());
    }

    [Fact]
    public async Task A_resolver_exception_is_logged_in_production_and_told_only_in_development()
    {
        var (_, inProduction) = await PostAsync(production, CreateTag);
        var (_, inDevelopment) = await PostAsync(development, CreateTag);

        Assert.Equal("""{"createTag":null}""", inProduction["data"]!.ToJsonString());
        var error = inProduction["errors"]![0]!;
        Assert.Equal("An unexpected error occurred; it has been logged.", error["message"].Text());
        Assert.DoesNotContain(NewsroomIn.Secret, inProduction.ToJsonString(), StringComparison.Ordinal);
        Assert.True(production.Logs.Contains(NewsroomIn.Secret));
        var details = inDevelopment["errors"]![0]!["extensions"]!["details"].Text()!;
        Assert.Contains("System.InvalidOperationException: Cannot open " + NewsroomIn.Secret, details);
        Assert.Contains(" at ", details);
        var codes = inDevelopment["errors"]![0]!["extensions"]!["codes"]!.AsArray();
        Assert.Equal(["INVALID_OPERATION"], codes.Select(c => c.Text()));
    }

    [Fact]
    public async Task A_database_error_names_no_table_or_statement_in_production()
    {
        const string request = """{"query":"{ tags(first: 2) { totalCount nodes { slug } } }"}""";
        var answers = new List<JsonNode>();
        foreach (var api in new NewsroomApi[] { production, development })
        {
            await using var db = api.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "Tags" RENAME TO "TagsOutOfReach" """);
            try
            {
                var (status, body) = await PostAsync(api, request);
                Assert.Equal(200, status);
                answers.Add(body);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "TagsOutOfReach" RENAME TO "Tags" """);
            }
        }

        var (inProduction, inDevelopment) = (answers[0], answers[1]);
        Assert.Equal("""{"tags":null}""", inProduction["data"]!.ToJsonString());
        AssertBare(inProduction, "INTERNAL_SERVER_ERROR");
        Assert.DoesNotContain("Tags", inProduction["errors"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("42P01", inProduction["errors"]!.ToJsonString(), StringComparison.Ordinal);
        AssertDetailed(inDevelopment, "INTERNAL_SERVER_ERROR");
        Assert.Contains("42P01", inDevelopment["errors"]![0]!["extensions"]!["details"].Text());
        Assert.Equal(inProduction.ToJsonString(), WithoutDetails(inDevelopment).ToJsonString());
    }

    private static async Task<(int Status, JsonNode Body)> PostAsync(NewsroomApi api, string request)
    {
        using var client = api.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(request, Encoding.UTF8, "application/json"),
        };
        message.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Each error: its message and one documented code (a validation rule's spec section too), nothing else.</summary>
    private static void AssertBare(JsonNode body, string code)
    {
        var errors = body["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        Assert.Equal(code, errors[0]!["extensions"]!["code"].Text());
        foreach (var error in errors)
        {
            var extensions = error!["extensions"]!.AsObject();
            Assert.True(extensions.All(e => e.Key is "code" or "number"), extensions.ToJsonString());
            Assert.DoesNotContain("Exception", error["message"].Text(), StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", error["message"].Text(), StringComparison.Ordinal);
        }
    }

    private static void AssertDetailed(JsonNode body, string code)
    {
        var errors = body["errors"]!.AsArray();
        Assert.Equal(code, errors[0]!["extensions"]!["code"].Text());
        foreach (var error in errors)
        {
            var extensions = error!["extensions"]!.AsObject();
            Assert.False(string.IsNullOrEmpty(extensions["details"].Text()), extensions.ToJsonString());
            Assert.NotEmpty(extensions["codes"]!.AsArray());
        }
    }

    private static JsonNode WithoutDetails(JsonNode body)
    {
        var copy = body.DeepClone();
        foreach (var error in copy["errors"]!.AsArray())
        {
            error!["extensions"]!.AsObject().Remove("details");
            error["extensions"]!.AsObject().Remove("codes");
        }

        return copy;
    }
}
