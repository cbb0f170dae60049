using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using T4K3News.GraphQLServer.Telemetry;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Observability;

/// <summary>
/// Activity sources and meters are process-wide: while this class's SDK listens it would also record what other test
/// classes' servers do, so it runs alone.
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests(ObservedApi api) : IClassFixture<ObservedApi>
{
    private const string Slug = "zelenskyy-calls-for-new-round-of-peace-talks-with-russia";

    [Fact]
    public async Task An_operation_is_one_span_with_its_name_type_cost_and_statement_count_and_its_SQL_spans_beneath_it()
    {
        api.Statements.Reset();

        await api.CreateGraphQLClient().QueryAsync($$"""query ArticlePage { article(slug: "{{Slug}}") { slug tags { slug } } }""");

        var spans = api.Spans.Snapshot();
        var operation = Assert.Single(spans, span => span.Source.Name == GraphQLTelemetry.Name && Tag(span, "graphql.operation.name") == "ArticlePage");
        Assert.Equal("query ArticlePage", operation.DisplayName);
        Assert.Equal("query", Tag(operation, "graphql.operation.type"));
        // article 1 + slug 1 + tags 1 + each of an assumed 20 tags' slug 1.
        Assert.Equal(23.0, operation.GetTagItem("graphql.cost"));
        Assert.Null(operation.GetTagItem("graphql.cache"));
        Assert.Null(operation.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, operation.Status);

        var request = Assert.Single(spans, span => span.SpanId == operation.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", request.Source.Name);
        var statements = spans.Where(span => span.ParentSpanId == operation.SpanId).ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, span =>
        {
            Assert.Equal("Npgsql", span.Source.Name);
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.NotNull(span.GetTagItem("db.query.text"));
        });
        Assert.Equal(api.Statements.Count, statements.Count);
        Assert.Equal(statements.Count, operation.GetTagItem("graphql.sql.statements"));
    }

    [Fact]
    public async Task Each_operation_of_a_batch_is_its_own_span_under_the_request()
    {
        using var response = await api.CreateClient().PostAsJsonAsync("/graphql", new[]
        {
            new { query = $$"""query First { article(slug: "{{Slug}}") { slug } }""" },
            new { query = $$"""query Second { article(slug: "{{Slug}}") { slug } }""" },
        });
        response.EnsureSuccessStatusCode();

        var spans = api.Spans.Snapshot();
        var first = Assert.Single(spans, span => Tag(span, "graphql.operation.name") == "First");
        var second = Assert.Single(spans, span => Tag(span, "graphql.operation.name") == "Second");
        Assert.Equal(first.ParentSpanId, second.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", Assert.Single(spans, span => span.SpanId == first.ParentSpanId).Source.Name);
        Assert.Equal(1, first.GetTagItem("graphql.sql.statements"));
        Assert.Equal(1, second.GetTagItem("graphql.sql.statements"));
    }

    [Fact]
    public async Task An_operation_that_answers_with_errors_is_an_error_span_with_the_first_error_code()
    {
        var response = await api.CreateGraphQLClient().PostAsync("query TooLong { articles(first: 500) { nodes { slug } } }");

        Assert.Equal("PAGE_SIZE_TOO_LARGE", response.FirstErrorCode);
        var operation = Assert.Single(api.Spans.Snapshot(), span => Tag(span, "graphql.operation.name") == "TooLong");
        Assert.Equal(ActivityStatusCode.Error, operation.Status);
        Assert.Equal("PAGE_SIZE_TOO_LARGE", Tag(operation, "error.type"));
        Assert.Equal(0, operation.GetTagItem("graphql.sql.statements"));
    }

    [Fact]
    public async Task Operations_are_measured_by_type_with_their_statements_and_cache_lookups_are_counted()
    {
        var client = api.CreateGraphQLClient();
        var before = Collect();
        api.Statements.Reset();

        await client.QueryAsync($$"""{ article(slug: "{{Slug}}") { slug } }""");
        await client.QueryAsync($$"""{ article(slug: "{{Slug}}") { tags { slug } } }""");
        var queryStatements = api.Statements.Count;
        // Refused, and audited: one INSERT, then the bounded purge of expired denied entries (a DELETE).
        await client.PostAsync("""mutation { createTag(input: { name: "Anonymous" }) { tag { slug } } }""");
        GraphQLTelemetry.RecordCacheLookup(hit: true);
        GraphQLTelemetry.RecordCacheLookup(hit: true);
        GraphQLTelemetry.RecordCacheLookup(hit: false);
        var after = Collect();

        Assert.Equal(2, Count(after, before, "graphql.server.operation.duration", ("graphql.operation.type", "query")));
        Assert.Equal(1, Count(after, before, "graphql.server.operation.duration", ("graphql.operation.type", "mutation"), ("error.type", "AUTH_NOT_AUTHENTICATED")));
        Assert.Equal(2, Count(after, before, "graphql.server.operation.sql_statements", ("graphql.operation.type", "query")));
        Assert.Equal(queryStatements, Sum(after, before, "graphql.server.operation.sql_statements", ("graphql.operation.type", "query")));
        Assert.Equal(2, Sum(after, before, "graphql.server.operation.sql_statements", ("graphql.operation.type", "mutation")));
        Assert.Equal(2, Count(after, before, "graphql.server.cache.lookups", ("graphql.cache", "hit")));
        Assert.Equal(1, Count(after, before, "graphql.server.cache.lookups", ("graphql.cache", "miss")));
    }

    [Fact]
    public async Task The_in_memory_stores_report_their_entries_and_bytes()
    {
        await api.CreateGraphQLClient().QueryAsync($$"""{ article(slug: "{{Slug}}") { slug title } }""");
        var metrics = Collect();

        // Each store reports its latest instance (a test host started later may be the one measured), so only their presence is exact.
        foreach (var metric in (string[])["graphql.server.store.entries", "graphql.server.store.size"])
        {
            var stores = new List<string?>();
            foreach (var point in metrics.Single(m => m.Name == metric).MetricPoints)
                foreach (var tag in point.Tags)
                    stores.Add(tag.Key == "graphql.store" ? tag.Value as string : $"unexpected tag {tag.Key}");
            Assert.Equal(["parsed_documents", "response_cache"], stores.Order());
        }
    }

    [Fact]
    public void A_cache_lookup_tags_the_operation_span_it_happens_in()
    {
        using (var operation = GraphQLTelemetry.Source.StartActivity("GraphQL Operation"))
        {
            GraphQLTelemetry.RecordCacheLookup(hit: true);
            Assert.Equal("hit", Tag(operation!, "graphql.cache"));
        }

        using (var operation = GraphQLTelemetry.Source.StartActivity("GraphQL Operation"))
        {
            GraphQLTelemetry.RecordCacheLookup(hit: false);
            Assert.Equal("miss", Tag(operation!, "graphql.cache"));
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    private IReadOnlyList<MetricSnapshot> Collect()
    {
        api.Metrics.Clear();
        // False: the OTLP exporter beside the in-memory one finds nothing listening.
        api.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return api.Metrics.Snapshot();
    }

    /// <summary>How many measurements with exactly these tags were taken between two collections (cumulative temporality).</summary>
    private static long Count(IReadOnlyList<MetricSnapshot> after, IReadOnlyList<MetricSnapshot> before, string metric, params (string Key, string Value)[] tags) =>
        Measure(after, metric, tags).Count - Measure(before, metric, tags).Count;

    private static double Sum(IReadOnlyList<MetricSnapshot> after, IReadOnlyList<MetricSnapshot> before, string metric, params (string Key, string Value)[] tags) =>
        Measure(after, metric, tags).Sum - Measure(before, metric, tags).Sum;

    private static (long Count, double Sum) Measure(IReadOnlyList<MetricSnapshot> snapshots, string metric, (string Key, string Value)[] tags)
    {
        var snapshot = snapshots.SingleOrDefault(s => s.Name == metric);
        if (snapshot is null)
            return (0, 0);
        foreach (var point in snapshot.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
                pointTags[tag.Key] = tag.Value;
            if (pointTags.Count != tags.Length || tags.Any(t => !Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                continue;
            return snapshot.MetricType switch
            {
                MetricType.Histogram => (point.GetHistogramCount(), point.GetHistogramSum()),
                MetricType.LongSum => (point.GetSumLong(), point.GetSumLong()),
                _ => throw new InvalidOperationException($"{metric} is a {snapshot.MetricType}."),
            };
        }

        return (0, 0);
    }
}

public sealed class TelemetryOffTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Fact]
    public void Without_an_OTLP_endpoint_no_OpenTelemetry_SDK_is_registered()
    {
        Assert.Null(api.Services.GetService<TracerProvider>());
        Assert.Null(api.Services.GetService<MeterProvider>());
    }
}

/// <summary>
/// The seeded server with OpenTelemetry on (an OTLP endpoint where nothing listens), keeping every span and metric it
/// exports in memory as well.
/// </summary>
public sealed class ObservedApi : ContentApi
{
    public Recorded<Activity> Spans { get; } = new();
    public Recorded<MetricSnapshot> Metrics { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services
            .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans))
            .ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics)));
    }
}

/// <summary>What an in-memory exporter hands over, safe to read while it still adds (the server exports from many threads).</summary>
public sealed class Recorded<T> : Collection<T>
{
    public List<T> Snapshot()
    {
        lock (Items)
            return [.. Items];
    }

    protected override void InsertItem(int index, T item)
    {
        lock (Items)
            base.InsertItem(index, item);
    }

    protected override void ClearItems()
    {
        lock (Items)
            base.ClearItems();
    }
}
