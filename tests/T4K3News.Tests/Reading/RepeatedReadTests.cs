using Microsoft.Extensions.DependencyInjection;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Reading;

/// <summary>
/// A reader's query that the read engine answered entirely is answered again from its statements without GraphQL.NET,
/// with each request's own variables and time. Whatever GraphQL.NET would have something to say about (a variable of
/// the wrong type, missing, or holding text PostgreSQL cannot take; a caller who is not anonymous) still goes through
/// GraphQL.NET, with exactly the answer it gives a document it has never seen.
/// </summary>
public sealed class RepeatedReadTests(NewsroomApiWithoutResponseCache api) : IClassFixture<NewsroomApiWithoutResponseCache>
{
    private GraphQLRequestExecutor Executor => api.Services.GetRequiredService<GraphQLRequestExecutor>();

    [Fact]
    public async Task A_readers_article_page_asked_again_is_answered_from_its_statement_with_each_requests_slug()
    {
        const string page = "query RepeatedArticlePage($slug: String!) { article(slug: $slug) { slug title tags { slug } } __typename }";
        var client = api.CreateGraphQLClient();
        await client.QueryAsync(page, new { slug = "story-01" });
        var repeated = Executor.RepeatedAnswers;

        api.Statements.Reset();
        var second = await client.QueryAsync(page, new { slug = "story-02" });
        var missing = await client.QueryAsync(page, new { slug = "no-such-story" });
        var draft = await client.QueryAsync(page, new { slug = "unfinished-draft" });

        Assert.Equal("Story 02", second["article"]!["title"].Text());
        Assert.Equal(["even", "world"], second["article"]!["tags"].Texts("slug").Order());
        Assert.Equal("Query", second["__typename"].Text());
        Assert.Null(missing["article"]);
        Assert.Null(draft["article"]);
        Assert.Equal(3, api.Statements.Count);
        Assert.Equal(repeated + 3, Executor.RepeatedAnswers);
    }

    [Fact]
    public async Task A_readers_front_page_asked_again_is_answered_from_its_statement()
    {
        const string page = "{ repeatedFrontPage: articles(first: 2) { nodes { slug tags { slug } takeaways { text } } } }";
        var client = api.CreateGraphQLClient();
        var first = await client.QueryAsync(page);
        var repeated = Executor.RepeatedAnswers;

        api.Statements.Reset();
        var again = await client.QueryAsync(page);

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(1, api.Statements.Count);
        Assert.Equal(repeated + 1, Executor.RepeatedAnswers);
    }

    [Theory]
    [InlineData("""{ "slug": 5 }""")]
    [InlineData("""{ "slug": null }""")]
    [InlineData("""{ }""")]
    [InlineData("""{ "slug": "story-\u0000-01" }""")]
    [InlineData("""{ "slug": ["story-01"] }""")]
    public async Task Variables_GraphQL_would_refuse_get_its_exact_errors_on_a_repeated_page(string variables)
    {
        var client = api.CreateGraphQLClient();
        // Two names for one page: one never answered before, one answered (and so repeatable) twice already.
        var fresh = $"query Fresh{Guid.NewGuid():N}($slug: String!) {{ article(slug: $slug) {{ title }} }}";
        const string known = "query KnownPage($slug: String!) { article(slug: $slug) { title } }";
        await client.QueryAsync(known, new { slug = "story-01" });
        await client.QueryAsync(known, new { slug = "story-02" });
        var repeated = Executor.RepeatedAnswers;

        var refusedFresh = await client.PostAsync(fresh, System.Text.Json.JsonDocument.Parse(variables).RootElement);
        var refusedKnown = await client.PostAsync(known, System.Text.Json.JsonDocument.Parse(variables).RootElement);

        Assert.NotNull(refusedKnown.Errors);
        Assert.Equal(refusedFresh.Status, refusedKnown.Status);
        Assert.Equal(refusedFresh.FirstErrorCode, refusedKnown.FirstErrorCode);
        Assert.Equal(refusedFresh.Data?.ToJsonString(), refusedKnown.Data?.ToJsonString());
        Assert.Equal(repeated, Executor.RepeatedAnswers);
    }

    [Fact]
    public async Task An_editor_asking_what_a_reader_asked_is_answered_by_GraphQL_and_sees_drafts()
    {
        const string page = "query RepeatedDraft($slug: String!) { article(slug: $slug) { title } }";
        var reader = api.CreateGraphQLClient();
        await reader.QueryAsync(page, new { slug = "unfinished-draft" });
        var forReader = await reader.QueryAsync(page, new { slug = "unfinished-draft" });
        var repeated = Executor.RepeatedAnswers;

        var forEditor = await (await api.CreateClientWithRoleAsync(TokenRole.Editor)).QueryAsync(page, new { slug = "unfinished-draft" });

        Assert.Null(forReader["article"]);
        Assert.Equal("Unfinished draft", forEditor["article"]!["title"].Text());
        Assert.Equal(repeated, Executor.RepeatedAnswers);
    }

    [Fact]
    public async Task A_page_whose_variables_change_its_statement_is_never_repeated()
    {
        const string filter = "query NeverRepeated($slug: String) { articles(first: 2, where: { slug: { eq: $slug } }) { nodes { slug } } }";
        var client = api.CreateGraphQLClient();
        await client.QueryAsync(filter, new { slug = "story-01" });
        var repeated = Executor.RepeatedAnswers;

        var second = await client.QueryAsync(filter, new { slug = "story-02" });

        Assert.Equal(["story-02"], second["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(repeated, Executor.RepeatedAnswers);
    }
}
