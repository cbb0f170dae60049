using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;
using T4K3News.Tests.Reading;

namespace T4K3News.Tests.Auth;

/// <summary>
/// A field the caller's role may not read is null with one error at its path, and the rest of the answer stands: every
/// such field is nullable, so the refusal never wipes out its parent (HotChocolate's authorization guidance).
/// </summary>
public sealed class RoleRefusedFieldTests(
    NewsroomApiWithoutResponseCache planned, NewsroomApiWithoutPlannedReads resolved)
    : IClassFixture<NewsroomApiWithoutResponseCache>, IClassFixture<NewsroomApiWithoutPlannedReads>
{
    private const string ArticleWithLinks = """{ article(slug: "story-01") { title previewLinks { id } } }""";

    [Fact]
    public async Task A_readers_query_with_previewLinks_gets_the_article_with_that_field_null_and_one_error()
    {
        foreach (var api in new NewsroomApi[] { planned, resolved })
        {
            var response = await api.CreateGraphQLClient().PostAsync(ArticleWithLinks);

            Assert.Equal(200, response.Status);
            Assert.Equal("""{"article":{"title":"Story 01","previewLinks":null}}""", response.Data!.ToJsonString());
            var error = Assert.Single(response.Errors!);
            Assert.Equal("""["article","previewLinks"]""", error!["path"]!.ToJsonString());
            Assert.Equal("AUTH_NOT_AUTHENTICATED", error["extensions"]!["code"].Text());
        }
    }

    [Fact]
    public async Task The_planned_read_and_the_resolvers_answer_a_readers_editors_only_fields_alike()
    {
        var reader = planned.CreateGraphQLClient();
        var id = (await reader.QueryAsync("""{ article(slug: "story-02") { id } }"""))["article"]!["id"].Text();
        string[] reads =
        [
            ArticleWithLinks,
            """
            { article(slug: "story-01") { slug revisions(first: 1) { totalCount } previewLinks { id } tags { slug } } }
            """,
            """{ articles(first: 2) { nodes { slug previewLinks { id } } } }""",
            $$"""{ node(id: "{{id}}") { ... on Article { slug previewLinks { createdBy } } } }""",
        ];

        foreach (var read in reads)
        {
            var byPlan = await planned.CreateGraphQLClient().PostAsync(read);
            var byResolvers = await resolved.CreateGraphQLClient().PostAsync(read);

            Assert.Equal(byResolvers.Body.ToJsonString(), byPlan.Body.ToJsonString());
            Assert.Equal(200, byPlan.Status);
            Assert.All(byPlan.Errors!, e => Assert.Equal("AUTH_NOT_AUTHENTICATED", e!["extensions"]!["code"].Text()));
        }

        var list = await planned.CreateGraphQLClient().PostAsync(reads[2]);
        Assert.Equal("""
            {"articles":{"nodes":[{"slug":"story-60","previewLinks":null},{"slug":"story-59","previewLinks":null}]}}
            """, list.Data!.ToJsonString());
        Assert.Equal(["""["articles","nodes",0,"previewLinks"]""", """["articles","nodes",1,"previewLinks"]"""],
            list.Errors!.Select(e => e!["path"]!.ToJsonString()).Order());
        var two = await planned.CreateGraphQLClient().PostAsync(reads[1]);
        Assert.Equal("""
            {"article":{"slug":"story-01","revisions":null,"previewLinks":null,"tags":[{"slug":"odd"},{"slug":"world"}]}}
            """, two.Data!.ToJsonString());
        Assert.Equal(2, two.Errors!.Count);
    }

    [Fact]
    public async Task An_editor_reads_the_same_fields_and_gets_them()
    {
        var editor = await planned.CreateClientWithRoleAsync(TokenRole.Editor);

        var data = await editor.QueryAsync("""
            { article(slug: "story-01") { title previewLinks { id } revisions(first: 1) { totalCount } } }
            """);

        Assert.Equal("""{"article":{"title":"Story 01","previewLinks":[],"revisions":{"totalCount":0}}}""",
            data.ToJsonString());
    }

    [Fact]
    public async Task An_editors_query_keeps_its_other_fields_when_admins_only_root_fields_are_refused()
    {
        var editor = await planned.CreateClientWithRoleAsync(TokenRole.Editor);

        var response = await editor.PostAsync("""
            { article(slug: "story-60") { slug } webhooks { id } apiTokens { name } auditLog(first: 1) { totalCount }
              webhookDeliveries(webhookId: "V2ViaG9vazox") { totalCount } }
            """);

        Assert.Equal(200, response.Status);
        Assert.Equal("""
            {"article":{"slug":"story-60"},"webhooks":null,"apiTokens":null,"auditLog":null,"webhookDeliveries":null}
            """, response.Data!.ToJsonString());
        Assert.Equal(["apiTokens", "auditLog", "webhookDeliveries", "webhooks"],
            response.Errors!.Select(e => e!["path"]![0].Text()).Order());
        Assert.All(response.Errors!, e => Assert.Equal("AUTH_NOT_AUTHORIZED", e!["extensions"]!["code"].Text()));
    }

    [Fact]
    public async Task A_refused_mutation_is_null_and_the_other_mutations_of_the_document_keep_their_results()
    {
        var editor = await planned.CreateClientWithRoleAsync(TokenRole.Editor);
        var id = (await editor.QueryAsync("""{ article(slug: "story-03") { id } }"""))["article"]!["id"].Text();

        var response = await editor.PostAsync("""
            mutation ($id: ID!) {
              created: createTag(input: { name: "Refusals" }) { tag { slug } errors { __typename } }
              deleted: deleteArticle(input: { id: $id, expectedVersion: 1 }) { errors { __typename } }
              alsoCreated: createTag(input: { name: "Refusals too" }) { tag { slug } }
            }
            """, new { id });

        Assert.Equal(200, response.Status);
        Assert.Equal("""
            {"created":{"tag":{"slug":"refusals"},"errors":null},"deleted":null,"alsoCreated":{"tag":{"slug":"refusals-too"}}}
            """, response.Data!.ToJsonString());
        var error = Assert.Single(response.Errors!);
        Assert.Equal("""["deleted"]""", error!["path"]!.ToJsonString());
        Assert.Equal("AUTH_NOT_AUTHORIZED", error["extensions"]!["code"].Text());
        var kept = await editor.QueryAsync("""{ article(slug: "story-03") { title } }""");
        Assert.Equal("Story 03", kept["article"]!["title"].Text());
    }

    [Fact]
    public void Every_field_a_role_can_refuse_is_nullable_in_the_schema()
    {
        var schema = planned.Services.GetRequiredService<ContentSchema>();
        schema.Initialize();
        string[] refusable = ["Query.webhooks", "Query.webhookDeliveries", "Query.apiTokens", "Query.auditLog",
            "Article.previewLinks", "Article.revisions", "Subscription.articleChanged"];
        var mutations = schema.Mutation!.Fields.Select(f => "Mutation." + f.Name);

        var nonNull = refusable.Concat(mutations)
            .Where(name => schema.AllTypes[name.Split('.')[0]] is GraphQL.Types.IComplexGraphType type
                && type.GetField(name.Split('.')[1])!.ResolvedType is GraphQL.Types.NonNullGraphType)
            .ToList();

        Assert.NotEmpty(mutations);
        Assert.Empty(nonNull);
    }
}
