namespace T4K3News.GraphQLServer;

/// <summary>The endpoint's limits and switches (configuration section "GraphQL"); every one is documented in the README.</summary>
public sealed class GraphQLServerOptions
{
    public const string Section = "GraphQL";

    /// <summary>The most operations one POST may carry as a JSON array.</summary>
    public int MaxBatchSize { get; set; } = 10;

    /// <summary>The largest request body; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The longest GraphQL document, in characters.</summary>
    public int MaxDocumentLength { get; set; } = 32 * 1024;

    /// <summary>How deeply fields may nest (the standard introspection query needs 13).</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>The most a document may cost: each field counts 1, times the page size (first/last, else 5) of every list around it.</summary>
    public int MaxComplexity { get; set; } = 60_000;

    /// <summary>The most aliased fields in one document.</summary>
    public int MaxAliases { get; set; } = 50;

    /// <summary>The most field selections written in one document.</summary>
    public int MaxFields { get; set; } = 1_000;

    /// <summary>The most items any list inside an argument may hold: a filter's and/or/in/nin, a mutation input's lists.</summary>
    public int MaxInputListItems { get; set; } = 100;

    /// <summary>How deeply input objects may nest inside one argument (each and/or/some level of a filter counts).</summary>
    public int MaxInputDepth { get; set; } = 10;

    /// <summary>The most clauses an <c>order</c> argument may hold.</summary>
    public int MaxSortFields { get; set; } = 10;

    /// <summary>The most ids one <c>nodes(ids:)</c> may ask for.</summary>
    public int MaxNodeIds { get; set; } = 50;

    /// <summary>Answer queries from statements planned from their selection (one per root field) where a planner accepts them.</summary>
    public bool PlannedReads { get; set; } = true;

    /// <summary>How long one operation may run before it is stopped with REQUEST_TIMEOUT.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The schema is public; switch this off to refuse __schema and __type.</summary>
    public bool EnableIntrospection { get; set; } = true;

    /// <summary>How long shared caches may keep an anonymous GET response (Cache-Control max-age).</summary>
    public int CacheMaxAgeSeconds { get; set; } = 60;

    /// <summary>Answer repeated anonymous queries from memory (see <see cref="GraphQLServer.ResponseCache"/>).</summary>
    public bool ResponseCache { get; set; } = true;

    /// <summary>The most bytes the response cache holds (answers and their bookkeeping); beyond it the least recently used answers go.</summary>
    public long ResponseCacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most answers the response cache holds, however small; beyond it the least recently used go.</summary>
    public int ResponseCacheMaxEntries { get; set; } = 20_000;

    /// <summary>The most documents kept parsed, with their plans (see <see cref="ParsedDocuments"/>); beyond it all are dropped.</summary>
    public int ParsedDocumentsMaxCount { get; set; } = 1_000;

    /// <summary>The most bytes of documents kept parsed, their syntax trees and plans; beyond it all are dropped.</summary>
    public long ParsedDocumentsMaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How long the response cache keeps an answer at most, however nothing it depends on changed: a safety net.</summary>
    public TimeSpan ResponseCacheMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Automatic: Apollo's automatic persisted queries. AllowList: only registered operations run. Off: no persisted queries.</summary>
    public PersistedQueryMode PersistedQueries { get; set; } = PersistedQueryMode.Automatic;

    /// <summary>The most documents clients may leave in the persisted-query store (registered ones do not count); beyond it the least recently used go.</summary>
    public int PersistedQueryMaxCount { get; set; } = 10_000;

    /// <summary>The most bytes (UTF-8) of documents clients may leave in the persisted-query store; beyond it the least recently used go.</summary>
    public long PersistedQueryMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a WebSocket client has to send connection_init before it is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most subscriptions one WebSocket connection may hold at once.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 20;

    /// <summary>The most WebSocket connections one token may hold open at once on one instance; the next is closed with 1008.</summary>
    public int MaxSocketsPerToken { get; set; } = 10;

    /// <summary>The most WebSocket connections one client address may hold open at once on one instance without a token (readers); the next connection_init is closed with 1008.</summary>
    public int MaxSocketsPerAddress { get; set; } = 20;

    /// <summary>The most messages waiting to be sent on one WebSocket connection; a client that lets more pile up is closed with 1013.</summary>
    public int MaxQueuedMessagesPerConnection { get; set; } = 1_000;

    /// <summary>The most events of one subscription waiting to be sent; a client that lets more pile up is closed with 1013.</summary>
    public int MaxQueuedEventsPerSubscription { get; set; } = 100;
}

public enum PersistedQueryMode
{
    Automatic,
    AllowList,
    Off,
}
