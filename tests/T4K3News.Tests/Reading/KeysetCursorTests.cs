using System.Text;
using System.Text.Json.Nodes;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Reading;

/// <summary>
/// Articles ordered by publication time page by keys: a cursor holds the row's publication time and id (HotChocolate
/// v14's format), so the next page starts beyond it however deep it is. The read engine and the resolvers answer the
/// same pages, cursors included; offset cursors that clients already hold keep working.
/// </summary>
public sealed class KeysetCursorTests(NewsroomApiWithoutResponseCache planned, NewsroomApiWithoutPlannedReads resolved)
    : IClassFixture<NewsroomApiWithoutResponseCache>, IClassFixture<NewsroomApiWithoutPlannedReads>
{
    private const string Page = """
        query ($first: Int, $last: Int, $after: String, $before: String) {
          articles(first: $first, last: $last, after: $after, before: $before ORDER) {
            edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
        """;

    [Theory]
    [InlineData("", null)]
    [InlineData(", order: [{ publishedAt: ASC }]", null)]
    [InlineData(", order: [{ publishedAt: DESC }]", null)]
    [InlineData("", TokenRole.Editor)]
    [InlineData(", order: [{ publishedAt: ASC }]", TokenRole.Editor)]
    public async Task Following_keyset_cursors_forwards_and_backwards_walks_the_list_as_offsets_do(string order, TokenRole? role)
    {
        var query = Page.Replace("ORDER", order, StringComparison.Ordinal);
        var expected = await OffsetSequenceAsync(await ClientAsync(resolved, role), order);

        foreach (var api in new NewsroomApi[] { planned, resolved })
        {
            var client = await ClientAsync(api, role);
            var forward = new List<string>();
            string? after = null;
            while (true)
            {
                api.Statements.Reset();
                var page = (await client.QueryAsync(query, new { first = 7, after }))["articles"]!;
                if (api == planned)
                    Assert.Equal(1, api.Statements.Count);
                forward.AddRange(page["edges"]!.AsArray().Select(e => e!["node"]!["slug"].Text()!));
                Assert.All(page["edges"]!.AsArray(), e => Assert.Contains(":", Decoded(e!["cursor"].Text()!), StringComparison.Ordinal));
                Assert.Equal(after is not null, page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
                if (!page["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
                    break;
                after = page["pageInfo"]!["endCursor"].Text();
            }

            var backward = new List<string>();
            string? before = null;
            while (true)
            {
                var page = (await client.QueryAsync(query, new { last = 7, before }))["articles"]!;
                backward.InsertRange(0, page["edges"]!.AsArray().Select(e => e!["node"]!["slug"].Text()!));
                Assert.Equal(before is not null, page["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
                if (!page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>())
                    break;
                before = page["pageInfo"]!["startCursor"].Text();
            }

            Assert.Equal(expected, forward);
            Assert.Equal(expected, backward);
        }
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(", order: [{ publishedAt: ASC }]", TokenRole.Editor)]
    public async Task The_read_engine_and_the_resolvers_answer_the_same_keyset_pages(string order, TokenRole? role)
    {
        var query = Page.Replace("ORDER", order, StringComparison.Ordinal);
        var start = (await (await ClientAsync(resolved, role)).QueryAsync(query, new { first = 5 }))["articles"]!;
        var middle = start["edges"]![2]!["cursor"].Text();
        object?[] variables =
        [
            new { first = 5 }, new { first = 5, after = middle }, new { last = 2, before = middle },
            new { first = 3, after = start["edges"]![0]!["cursor"].Text(), before = start["edges"]![4]!["cursor"].Text() },
            new { last = 3, after = start["edges"]![0]!["cursor"].Text(), before = start["edges"]![4]!["cursor"].Text() },
            new { last = 4 }, new { first = 0, after = middle },
        ];
        foreach (var values in variables)
        {
            var fromPlan = await (await ClientAsync(planned, role)).PostAsync(query, values);
            var fromResolvers = await (await ClientAsync(resolved, role)).PostAsync(query, values);

            Assert.Null(fromResolvers.Errors);
            Assert.True(JsonNode.DeepEquals(fromResolvers.Body, fromPlan.Body), $"planned:  {fromPlan.Body.ToJsonString()}\nresolved: {fromResolvers.Body.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_cursor_is_the_publication_time_and_the_id_as_HotChocolate_writes_them()
    {
        foreach (var api in new NewsroomApi[] { planned, resolved })
        {
            var cursor = Decoded((await api.CreateGraphQLClient().QueryAsync("{ articles(first: 1) { pageInfo { endCursor } } }"))["articles"]!["pageInfo"]!["endCursor"].Text()!);

            // Story 60, published 59 days after 2025-01-01 09:00 UTC.
            Assert.Matches("^202503010900000000000#1:[0-9]+$", cursor);
        }
    }

    [Fact]
    public async Task Offset_cursors_clients_already_hold_still_page_by_offsets()
    {
        foreach (var api in new NewsroomApi[] { planned, resolved })
        {
            var page = (await api.CreateGraphQLClient().QueryAsync(Page.Replace("ORDER", "", StringComparison.Ordinal), new { first = 3, after = Encoded("9") }))["articles"]!;

            Assert.Equal(["story-50", "story-49", "story-48"], page["edges"]!.AsArray().Select(e => e!["node"]!["slug"].Text()));
            Assert.Equal([Encoded("10"), Encoded("11"), Encoded("12")], page["edges"]!.AsArray().Select(e => e!["cursor"].Text()));
            Assert.True(page["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        }
    }

    public static TheoryData<string> Refused => new()
    {
        $$"""{ articles(after: "{{Encoded("202503010900000000000#1")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("2025030109#1:5")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("Article:12")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("202503010900000000000#1:5:7")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("202503010900000000000#1:99999999999")}}") { nodes { slug } } }""",
        $$"""{ articles(before: "{{Encoded("202503010900000000000#1:-5")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded(":")}}") { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("202503010900000000000#1:5")}}", order: [{ title: ASC }]) { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("202503010900000000000#1:5")}}", order: [{ publishedAt: ASC }, { title: ASC }]) { nodes { slug } } }""",
        $$"""{ articles(after: "{{Encoded("3")}}", before: "{{Encoded("202503010900000000000#1:5")}}") { nodes { slug } } }""",
        $$"""{ tags(after: "{{Encoded("202503010900000000000#1:5")}}") { nodes { slug } } }""",
        $$"""{ tag(slug: "even") { articles(after: "{{Encoded("202503010900000000000#1:5")}}") { nodes { slug } } } }""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_cursor_that_does_not_fit_the_list_and_its_order_is_refused(string query)
    {
        foreach (var api in new NewsroomApi[] { planned, resolved })
        {
            var response = await api.CreateGraphQLClient().PostAsync(query);

            Assert.Equal("INVALID_CURSOR", response.FirstErrorCode);
        }
    }

    /// <summary>The whole list in its order, read by offsets: the first 50 and the rest after the offset cursor of the 50th.</summary>
    private static async Task<List<string>> OffsetSequenceAsync(GraphQLClient client, string order)
    {
        var query = $$"""query ($after: String) { articles(first: 50, after: $after{{order}}) { nodes { slug } } }""";
        var first = (await client.QueryAsync(query))["articles"]!["nodes"].Texts("slug");
        var rest = (await client.QueryAsync(query, new { after = Encoded("49") }))["articles"]!["nodes"].Texts("slug");
        return [.. first.Concat(rest).Select(s => s!)];
    }

    private static async Task<GraphQLClient> ClientAsync(NewsroomApi api, TokenRole? role)
    {
        var client = role is null ? api.CreateGraphQLClient() : await api.CreateClientWithRoleAsync(role.Value);
        await client.QueryAsync("{ __typename }"); // the token's first use is looked up and recorded; later ones come from the cache
        return client;
    }

    private static string Encoded(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Decoded(string cursor) => Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
}
