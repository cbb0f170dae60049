using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphQL;
using GraphQLParser.AST;

namespace T4K3News.GraphQLServer.Telemetry;

/// <summary>
/// The GraphQL server's traces and metrics: one span per operation and its instruments, under one name for the
/// host's OpenTelemetry SDK to listen to (<c>AddSource(Name)</c>, <c>AddMeter(Name)</c>). While nothing listens
/// (the SDK is not registered) no span starts and nothing is measured (<see cref="IsListening"/>).
/// </summary>
public static class GraphQLTelemetry
{
    /// <summary>The name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "T4K3News.GraphQL";

    public const string OperationNameTag = "graphql.operation.name";
    public const string OperationTypeTag = "graphql.operation.type";
    public const string CostTag = "graphql.cost";
    public const string CacheTag = "graphql.cache";
    public const string StatementsTag = "graphql.sql.statements";
    public const string ErrorTypeTag = "error.type";

    public const string CacheHit = "hit";
    public const string CacheMiss = "miss";

    internal static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "graphql.server.operation.duration", "s", "How long GraphQL operations take, from the request's document to its result.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10] });

    private static readonly Histogram<int> Statements = Meter.CreateHistogram<int>(
        "graphql.server.operation.sql_statements", "{statement}", "SQL statements one GraphQL operation ran.", tags: null,
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50, 100] });

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "graphql.server.cache.lookups", "{lookup}", "Response cache lookups, by graphql.cache (hit or miss).");

    public const string StoreTag = "graphql.store";

    /// <summary>The in-memory stores, by name, as their latest instance (a test host's may be gone: then it reports nothing).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<(int Count, long Bytes)?>> Stores = new();

    private static readonly ObservableGauge<long> StoreEntries = Meter.CreateObservableGauge(
        "graphql.server.store.entries", () => ObserveStores(size => size.Count), "{entry}",
        "Entries kept by each in-memory store (graphql.store: response_cache, parsed_documents).");

    private static readonly ObservableGauge<long> StoreSize = Meter.CreateObservableGauge(
        "graphql.server.store.size", () => ObserveStores(size => size.Bytes), "By",
        "Bytes each in-memory store counts against its bound (graphql.store: response_cache, parsed_documents).");

    /// <summary>Reports a store's size in the store gauges, as long as <paramref name="store"/> lives.</summary>
    public static void ObserveStore<TStore>(string name, TStore store, Func<TStore, (int Count, long Bytes)> size)
        where TStore : class
    {
        var weak = new WeakReference<TStore>(store);
        Stores[name] = () => weak.TryGetTarget(out var alive) ? size(alive) : null;
    }

    private static IEnumerable<Measurement<long>> ObserveStores(Func<(int Count, long Bytes), long> value)
    {
        foreach (var (name, size) in Stores)
            if (size() is { } known)
                yield return new Measurement<long>(value(known), new KeyValuePair<string, object?>(StoreTag, name));
    }

    /// <summary>
    /// A response cache looked up the current operation: tags the current span <c>graphql.cache</c> = <c>hit</c> or
    /// <c>miss</c> (call it inside <see cref="GraphQLRequestExecutor.ExecuteAsync"/> and that is the operation's span)
    /// and counts the lookup.
    /// </summary>
    public static void RecordCacheLookup(bool hit)
    {
        var result = hit ? CacheHit : CacheMiss;
        if (Activity.Current is { IsAllDataRequested: true } activity)
            activity.SetTag(CacheTag, result);
        if (CacheLookups.Enabled)
            CacheLookups.Add(1, new KeyValuePair<string, object?>(CacheTag, result));
    }

    /// <summary>
    /// Counts a finished SQL statement span towards the GraphQL operation it ran under, if any: for the host's trace
    /// processor, which knows which database spans are statements.
    /// </summary>
    public static void CountStatement(Activity statement)
    {
        for (var parent = statement.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source == Source && parent.GetCustomProperty(Name) is OperationTelemetry operation)
            {
                operation.CountStatement();
                return;
            }
        }
    }

    /// <summary>What the complexity analysis computed, on the current operation's span.</summary>
    internal static void RecordCost(double cost)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity && activity.Source == Source)
            activity.SetTag(CostTag, cost);
    }

    /// <summary>Whether an SDK listens to the operations' spans or metrics; while none does, start none.</summary>
    internal static bool IsListening => Source.HasListeners() || Duration.Enabled;

    /// <summary>The span (when traced) and measurements of one operation.</summary>
    internal static OperationTelemetry StartOperation() => new(Source.StartActivity("GraphQL Operation", ActivityKind.Internal));

    internal sealed class OperationTelemetry
    {
        private readonly long startedAt = Stopwatch.GetTimestamp();
        // Null while only metrics listen; one that only propagates the trace (not sampled) is stopped but never tagged.
        private readonly Activity? span;
        private string? operationType;
        private int statements;

        public OperationTelemetry(Activity? span)
        {
            this.span = span;
            Recorded?.SetCustomProperty(Name, this);
        }

        private Activity? Recorded => span is { IsAllDataRequested: true } ? span : null;

        public void CountStatement() => Interlocked.Increment(ref statements);

        /// <summary>The operation the document selects, once it is parsed.</summary>
        public void Describe(GraphQLOperationDefinition? operation)
        {
            operationType = operation?.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                OperationType.Subscription => "subscription",
                _ => null,
            };
            if (Recorded is not { } activity || operationType is null)
                return;
            var name = operation!.Name?.StringValue;
            activity.DisplayName = name is null ? operationType : $"{operationType} {name}";
            activity.SetTag(OperationTypeTag, operationType);
            if (name is not null)
                activity.SetTag(OperationNameTag, name);
        }

        public void Complete(ExecutionResult result) =>
            Stop(result.Errors is { Count: > 0 } errors ? errors[0].Code ?? errors[0].GetType().Name : null);

        public void Fail(Exception exception) => Stop(exception.GetType().FullName);

        private void Stop(string? errorType)
        {
            var count = Volatile.Read(ref statements);
            var activity = Recorded;
            if (activity is not null)
            {
                activity.SetTag(StatementsTag, count);
                if (errorType is not null)
                {
                    activity.SetTag(ErrorTypeTag, errorType);
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }

            span?.Stop();
            if (Duration.Enabled)
            {
                var tags = new TagList();
                if (operationType is not null)
                    tags.Add(OperationTypeTag, operationType);
                if (errorType is not null)
                    tags.Add(ErrorTypeTag, errorType);
                Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
            }

            // Statements are counted from recorded SQL spans: without a recorded operation span there is no count.
            if (activity is not null && Statements.Enabled)
                Statements.Record(count, operationType is null ? default : new TagList { { OperationTypeTag, operationType } });
        }
    }
}
