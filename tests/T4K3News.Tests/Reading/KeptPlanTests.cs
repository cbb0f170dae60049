using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Reading;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Reading;

/// <summary>
/// A root field's plan is kept and run again with the request's values when its variables are only values of the
/// statement (an article page's <c>$slug</c>); a variable that can change the statement itself (a page size, a filter,
/// <c>@include</c>) has its field planned on every request. Either way every answer is the one for its own variables.
/// </summary>
public sealed class KeptPlanTests(NewsroomApiWithoutResponseCache api) : IClassFixture<NewsroomApiWithoutResponseCache>
{
    private ContentReadPlanner Planner => api.Services.GetServices<IRootFieldPlanner>().OfType<ContentReadPlanner>().Single();

    [Fact]
    public async Task An_article_page_asked_with_another_slug_runs_the_kept_plan_with_the_new_slug()
    {
        const string page = "query KeptArticlePage($slug: String!) { article(slug: $slug) { slug title tags { slug } } }";
        var client = api.CreateGraphQLClient();
        var built = Planner.PlansBuilt;

        var first = await client.QueryAsync(page, new { slug = "story-01" });
        var second = await client.QueryAsync(page, new { slug = "story-02" });
        var missing = await client.QueryAsync(page, new { slug = "no-such-story" });

        Assert.Equal("Story 01", first["article"]!["title"].Text());
        Assert.Equal(["odd", "world"], first["article"]!["tags"].Texts("slug").Order());
        Assert.Equal("Story 02", second["article"]!["title"].Text());
        Assert.Equal(["even", "world"], second["article"]!["tags"].Texts("slug").Order());
        Assert.Null(missing["article"]);
        Assert.Equal(built + 1, Planner.PlansBuilt);
    }

    [Fact]
    public async Task A_kept_plan_is_kept_per_role_so_a_reader_never_gets_an_editors_plan()
    {
        const string page = "query KeptDraft($slug: String!) { article(slug: $slug) { title } }";
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var forEditor = await editor.QueryAsync(page, new { slug = "unfinished-draft" });
        var forReader = await api.CreateGraphQLClient().QueryAsync(page, new { slug = "unfinished-draft" });

        Assert.Equal("Unfinished draft", forEditor["article"]!["title"].Text());
        Assert.Null(forReader["article"]);
    }

    [Fact]
    public async Task A_tag_page_by_a_variable_slug_keeps_its_plan()
    {
        const string page = "query KeptTag($slug: String!) { tag(slug: $slug) { name articleCount } }";
        var client = api.CreateGraphQLClient();
        var built = Planner.PlansBuilt;

        var even = await client.QueryAsync(page, new { slug = "even" });
        var world = await client.QueryAsync(page, new { slug = "world" });

        Assert.Equal("Even", even["tag"]!["name"].Text());
        Assert.Equal(30, even["tag"]!["articleCount"]!.GetValue<int>());
        Assert.Equal("World", world["tag"]!["name"].Text());
        Assert.Equal(60, world["tag"]!["articleCount"]!.GetValue<int>());
        Assert.Equal(built + 1, Planner.PlansBuilt);
    }

    [Fact]
    public async Task A_field_whose_variables_may_change_its_statement_is_planned_on_every_request()
    {
        var client = api.CreateGraphQLClient();
        var built = Planner.PlansBuilt;

        const string pageSize = "query PlannedEachTime($n: Int) { articles(first: $n) { nodes { slug } } }";
        Assert.Equal(["story-60"], (await client.QueryAsync(pageSize, new { n = 1 }))["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(["story-60", "story-59"], (await client.QueryAsync(pageSize, new { n = 2 }))["articles"]!["nodes"].Texts("slug"));

        const string filter = "query PlannedEachTime($slug: String) { articles(first: 2, where: { slug: { eq: $slug } }) { nodes { slug } } }";
        Assert.Equal(["story-01"], (await client.QueryAsync(filter, new { slug = "story-01" }))["articles"]!["nodes"].Texts("slug"));
        Assert.Equal(["story-02"], (await client.QueryAsync(filter, new { slug = "story-02" }))["articles"]!["nodes"].Texts("slug"));

        const string included = "query PlannedEachTime($slug: String!, $tags: Boolean!) { article(slug: $slug) { slug ...Tags } } fragment Tags on Article { tags @include(if: $tags) { slug } }";
        Assert.Null((await client.QueryAsync(included, new { slug = "story-01", tags = false }))["article"]!["tags"]);
        Assert.Equal(["odd", "world"], (await client.QueryAsync(included, new { slug = "story-01", tags = true }))["article"]!["tags"].Texts("slug").Order());

        Assert.Equal(built + 6, Planner.PlansBuilt);
    }
}
