using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Reading;
using T4K3News.GraphQLServer;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Caching;

/// <summary>Small bounds for every in-memory store, so that a few distinct requests reach them.</summary>
public sealed class SmallStoresApi : NewsroomApi
{
    public const int MaxCachedAnswers = 5;
    public const int MaxDocuments = 20;
    public const long MaxDocumentBytes = 120_000;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["GraphQL:ResponseCacheMaxEntries"] = MaxCachedAnswers.ToString(),
        ["GraphQL:ParsedDocumentsMaxCount"] = MaxDocuments.ToString(),
        ["GraphQL:ParsedDocumentsMaxBytes"] = MaxDocumentBytes.ToString(),
    };
}

/// <summary>
/// Traffic that no cache can serve (a new question every time, as a scraper or an attacker sends) leaves every store
/// within its bounds, by count and by bytes: the response cache, the parsed documents with their kept plans and repeat plans.
/// </summary>
public sealed class StoreBoundTests(SmallStoresApi api) : IClassFixture<SmallStoresApi>
{
    private const string FullArticle = "slug title standfirst body analysis publishedAt updatedAt heroImage { altText caption } " +
                                       "takeaways { text } quotes { text speaker context } highlights { text } callouts { title body } " +
                                       "tags { name slug } relatedArticles { slug title standfirst publishedAt tags { name slug } }";

    private ResponseCache Cache => api.Services.GetRequiredService<ResponseCache>();
    private ParsedDocuments Documents => api.Services.GetRequiredService<ParsedDocuments>();
    private ContentReadPlanner Planner => api.Services.GetServices<IRootFieldPlanner>().OfType<ContentReadPlanner>().Single();

    [Fact]
    public async Task The_response_cache_keeps_at_most_its_count_of_answers_however_small_and_counts_their_bookkeeping()
    {
        const string page = "query MissingPage($slug: String!) { article(slug: $slug) { title } }";
        var sizes = new List<(int Count, long Bytes)>();
        for (var number = 1; number <= 4 * SmallStoresApi.MaxCachedAnswers; number++)
        {
            var (data, _) = await Newsroom.AskAsync(api, page, new { slug = $"missing-{number}" });
            Assert.Null(data!["article"]);
            sizes.Add(Cache.Size);
        }

        var latest = await Newsroom.AskAsync(api, page, new { slug = $"missing-{4 * SmallStoresApi.MaxCachedAnswers}" });
        var oldest = await Newsroom.AskAsync(api, page, new { slug = "missing-1" });

        Assert.All(sizes, size => Assert.InRange(size.Count, 1, SmallStoresApi.MaxCachedAnswers));
        Assert.Equal(SmallStoresApi.MaxCachedAnswers, sizes[^1].Count);
        // Each answer ({"data":{"article":null}}, 26 bytes) is counted with its entry, index slots and ETag.
        Assert.InRange(sizes[^1].Bytes, SmallStoresApi.MaxCachedAnswers * (26L + ResponseCache.EntryOverhead), long.MaxValue);
        Assert.Equal(0, latest.Statements);
        Assert.Equal(1, oldest.Statements);
    }

    [Fact]
    public async Task Parsed_documents_are_dropped_past_their_count()
    {
        var drops = Documents.Drops;
        var sizes = new List<(int Count, long Bytes)>();
        for (var number = 1; number <= 3 * SmallStoresApi.MaxDocuments; number++)
        {
            var data = await api.CreateGraphQLClient().QueryAsync($"{{ n{number}: __typename }}");
            Assert.Equal("Query", data[$"n{number}"].Text());
            sizes.Add(Documents.Size);
        }

        // The document just parsed is always kept: room is made for it first.
        Assert.All(sizes, size => Assert.InRange(size.Count, 1, SmallStoresApi.MaxDocuments));
        Assert.All(sizes, size => Assert.InRange(size.Bytes, 1, SmallStoresApi.MaxDocumentBytes));
        Assert.InRange(Documents.Drops - drops, 2, 3);
    }

    [Fact]
    public async Task Parsed_documents_with_their_plans_are_dropped_past_their_bytes_and_planned_again_when_asked_again()
    {
        await EmptyDocumentsAsync();
        var filler = Documents.Size;
        var drops = Documents.Drops;
        var sizes = new List<(int Count, long Bytes)>();
        var first = "{ article(slug: \"story-01\") { " + FullArticle + " } }";
        var built = Planner.PlansBuilt;
        Assert.Equal("Story 01", (await api.CreateGraphQLClient().QueryAsync(first))["article"]!["title"].Text());
        var alone = Documents.Size;
        for (var number = 2; number <= 19; number++)
        {
            // A document written anew each time (a literal slug), its field planned and the plan kept with it.
            var data = await api.CreateGraphQLClient().QueryAsync($$"""{ article(slug: "story-{{number:00}}") { {{FullArticle}} } }""");
            Assert.Equal($"Story {number:00}", data["article"]!["title"].Text());
            sizes.Add(Documents.Size);
        }

        var plansBeforeAgain = Planner.PlansBuilt;
        Cache.InvalidateAll();
        var again = await api.CreateGraphQLClient().QueryAsync(first);

        // One document with its plan: its text, its syntax tree and its statement.
        Assert.Equal(filler.Count + 1, alone.Count);
        Assert.InRange(alone.Bytes - filler.Bytes, 10_000, SmallStoresApi.MaxDocumentBytes / 4);
        // A plan that does not fit drops every document, its own too: then the store is empty.
        Assert.All(sizes, size => Assert.InRange(size.Bytes, 0, SmallStoresApi.MaxDocumentBytes));
        Assert.All(sizes, size => Assert.InRange(size.Count, 0, SmallStoresApi.MaxDocuments - 1));
        Assert.True(Documents.Drops > drops, "the byte bound dropped the documents before their count could");
        Assert.Equal(built + 19, plansBeforeAgain);
        Assert.Equal("Story 01", again["article"]!["title"].Text());
        Assert.Equal(plansBeforeAgain + 1, Planner.PlansBuilt);
    }

    /// <summary>Sends tiny new documents until the store drops what it holds: then it holds only the last of them.</summary>
    private async Task EmptyDocumentsAsync()
    {
        var drops = Documents.Drops;
        for (var number = 1; Documents.Drops == drops; number++)
            await api.CreateGraphQLClient().QueryAsync($"{{ filler{Guid.NewGuid():N}{number}: __typename }}");
    }

    [Fact]
    public async Task A_repeat_plan_goes_with_its_document_and_the_next_request_is_answered_through_GraphQL_again()
    {
        const string page = "query RepeatedStory($slug: String!) { article(slug: $slug) { title } }";
        var executor = api.Services.GetRequiredService<GraphQLRequestExecutor>();
        var client = api.CreateGraphQLClient();
        Cache.InvalidateAll();
        await client.QueryAsync(page, new { slug = "story-03" });
        var repeated = executor.RepeatedAnswers;
        var fromRepeat = await client.QueryAsync(page, new { slug = "story-04" });
        var afterRepeat = executor.RepeatedAnswers;

        await EmptyDocumentsAsync();
        var afterDrop = await client.QueryAsync(page, new { slug = "story-05" });

        Assert.Equal("Story 04", fromRepeat["article"]!["title"].Text());
        Assert.Equal(repeated + 1, afterRepeat);
        Assert.Equal("Story 05", afterDrop["article"]!["title"].Text());
        Assert.Equal(afterRepeat, executor.RepeatedAnswers);
    }
}
