using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Answers to anonymous queries, kept in memory as the bytes that were sent, so that asking again costs neither SQL nor
/// serialization. Only what can be invalidated is kept: the host says what each answer depends on
/// (<see cref="IResponseDependencies"/>), invalidates by those keys as changes commit (on every instance), and says
/// when it hears changes at all (<see cref="Resume"/>, <see cref="Pause"/>): until it does, nothing is served or kept.
/// An answer computed while an invalidation happened is not kept (a generation counter read before it ran), so a change
/// can never be overwritten by an answer from before it. Bounded in bytes (least recently used go first) and in age.
/// </summary>
public sealed class ResponseCache
{
    /// <summary>
    /// What an entry costs beyond its answer's bytes, so that many tiny answers stay bounded too: the entry (88 bytes), its
    /// recency node (48), the kept response (48) with its ETag (96), the answer's array header (24), its dependency list
    /// (24) and its slot in the index (about 80 with the table's spare room); each dependency then costs its text and its
    /// slot in that key's set (<see cref="DependencyCost"/>). Measured against the heap under cache-busting traffic
    /// (README, "Memory under cache-busting traffic").
    /// </summary>
    internal const int EntryOverhead = 408;

    /// <summary>A clock going back by more than this drops everything: answers computed "later" may show what is not due yet.</summary>
    private static readonly long ClockSkewTicks = TimeSpan.TicksPerSecond;

    private readonly Lock gate = new();
    private readonly Dictionary<ResponseKey, Entry> entries = [];
    private readonly Dictionary<string, HashSet<Entry>> dependents = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new(); // most recently used first
    private readonly IResponseDependencies? dependencies;
    private readonly IGraphQLTextSerializer serializer;
    private readonly TimeProvider clock;
    private readonly GraphQLServerOptions options;
    private long bytes;
    private long generation;
    private volatile bool active;
    private long latestTicks;
    private Scheduled? scheduled;

    public ResponseCache(IOptions<GraphQLServerOptions> options, IGraphQLTextSerializer serializer, TimeProvider clock, IResponseDependencies? dependencies = null)
    {
        this.options = options.Value;
        this.serializer = serializer;
        this.clock = clock;
        this.dependencies = dependencies;
        Telemetry.GraphQLTelemetry.ObserveStore("response_cache", this, cache => cache.Size);
    }

    /// <summary>Switched on (<see cref="GraphQLServerOptions.ResponseCache"/>) and the host says what answers depend on.</summary>
    public bool IsEnabled => options.ResponseCache && dependencies is not null;

    /// <summary>Serving and keeping answers now: enabled, and the host hears changes.</summary>
    public bool IsActive => active;

    /// <summary>Read before an answer is computed and handed to <see cref="Store"/>: any invalidation in between keeps it out.</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The answers kept and their bytes (with each entry's overhead).</summary>
    public (int Count, long Bytes) Size
    {
        get
        {
            lock (gate)
                return (entries.Count, bytes);
        }
    }

    /// <summary>When the scheduled invalidation (<see cref="InvalidateAt"/>) will run, if one waits.</summary>
    public DateTimeOffset? NextScheduledInvalidation
    {
        get
        {
            lock (gate)
                return scheduled?.At;
        }
    }

    public bool TryGet(ResponseKey key, out CachedResponse response)
    {
        response = null!;
        if (!active)
            return false;
        var now = clock.GetUtcNow();
        Action? then;
        var found = false;
        lock (gate)
        {
            then = CatchUp(now);
            if (entries.TryGetValue(key, out var entry))
            {
                if (now.UtcTicks >= entry.ExpiresAtTicks)
                    Remove(entry);
                else
                {
                    recency.Remove(entry.Recency);
                    recency.AddFirst(entry.Recency);
                    response = entry.Response;
                    found = true;
                }
            }
        }

        then?.Invoke();
        return found;
    }

    /// <summary>
    /// The answer serialized, kept under <paramref name="key"/> unless it must not be: it has errors or extensions, the
    /// host finds no way to invalidate it, it is too large, or something was invalidated since <paramref name="generationBefore"/>.
    /// Null when it is not the plain <c>{"data":…}</c> of a successful query (the caller serializes it itself).
    /// </summary>
    public CachedResponse? Store(ResponseKey key, ExecutionResult result, long generationBefore)
    {
        if (!active || result.Errors is { Count: > 0 } || result.Extensions is { Count: > 0 } || dependencies?.Of(result) is not { } keys)
            return null;

        var body = System.Text.Encoding.UTF8.GetBytes(serializer.Serialize(result));
        if (CachedResponse.Of(body) is not { } response)
            return null;

        var cost = body.Length + EntryOverhead + keys.Sum(DependencyCost);
        if (cost > options.ResponseCacheMaxBytes)
            return response;

        var now = clock.GetUtcNow();
        Action? then;
        lock (gate)
        {
            then = CatchUp(now);
            if (active && Interlocked.Read(ref generation) == generationBefore)
            {
                if (entries.TryGetValue(key, out var existing))
                    Remove(existing);
                var entry = new Entry(key, response, [.. keys], cost, (now + options.ResponseCacheMaxAge).UtcTicks);
                entries.Add(key, entry);
                recency.AddFirst(entry.Recency);
                foreach (var dependency in entry.Dependencies)
                {
                    if (!dependents.TryGetValue(dependency, out var set))
                        dependents[dependency] = set = [];
                    set.Add(entry);
                }

                bytes += cost;
                while ((bytes > options.ResponseCacheMaxBytes || entries.Count > options.ResponseCacheMaxEntries) && recency.Last is { } oldest)
                    Remove(oldest.Value);
            }
        }

        then?.Invoke();
        return response;
    }

    /// <summary>A dependency's text (a string object) and its reference in the entry and in the key's set, with spare room.</summary>
    private static int DependencyCost(string key) => 64 + (2 * key.Length);

    /// <summary>Drops every answer that depends on any of <paramref name="keys"/>, and keeps out any being computed now.</summary>
    public void Invalidate(IEnumerable<string> keys)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            foreach (var key in keys)
            {
                if (dependents.TryGetValue(key, out var set))
                    foreach (var entry in set.ToList())
                        Remove(entry);
            }
        }
    }

    /// <summary>Drops every answer.</summary>
    public void InvalidateAll()
    {
        lock (gate)
            Clear();
    }

    /// <summary>
    /// Invalidates <paramref name="keys"/> once the clock reaches <paramref name="at"/> (e.g. when a scheduled article
    /// comes due), checked as answers are looked up or kept, so that no answer from before that moment is served after
    /// it; then calls <paramref name="then"/> with true, so the host can schedule the next. One at a time: a call
    /// replaces the previous one; null schedules nothing. A clock going back drops it (and every answer) and calls
    /// <paramref name="then"/> with false.
    /// </summary>
    public void InvalidateAt(DateTimeOffset? at, IReadOnlyCollection<string> keys, Action<bool>? then = null)
    {
        lock (gate)
            scheduled = at is { } when ? new Scheduled(when, keys, then) : null;
    }

    /// <summary>The host hears changes (again): start serving and keeping answers, from nothing.</summary>
    public void Resume()
    {
        lock (gate)
        {
            Clear();
            latestTicks = clock.GetUtcNow().UtcTicks;
            active = IsEnabled;
        }
    }

    /// <summary>The host may miss changes from now on: serve and keep nothing until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (gate)
        {
            active = false;
            Clear();
        }
    }

    /// <summary>Runs a due scheduled invalidation; the host's follow-up is returned, to be called outside the lock.</summary>
    private Action? CatchUp(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (ticks < latestTicks - ClockSkewTicks)
        {
            Clear();
            latestTicks = ticks;
            var dropped = scheduled;
            scheduled = null;
            return dropped?.Then is { } droppedThen ? () => droppedThen(false) : null;
        }

        latestTicks = Math.Max(latestTicks, ticks);
        if (scheduled is not { } due || now < due.At)
            return null;
        scheduled = null;
        Interlocked.Increment(ref generation);
        foreach (var key in due.Keys)
        {
            if (dependents.TryGetValue(key, out var set))
                foreach (var entry in set.ToList())
                    Remove(entry);
        }

        return due.Then is { } then ? () => then(true) : null;
    }

    private void Clear()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
        dependents.Clear();
        recency.Clear();
        bytes = 0;
    }

    private void Remove(Entry entry)
    {
        if (!entries.Remove(entry.Key))
            return;
        recency.Remove(entry.Recency);
        bytes -= entry.Cost;
        foreach (var dependency in entry.Dependencies)
        {
            if (dependents.TryGetValue(dependency, out var set) && set.Remove(entry) && set.Count == 0)
                dependents.Remove(dependency);
        }
    }

    private sealed class Entry
    {
        public Entry(ResponseKey key, CachedResponse response, string[] dependencies, long cost, long expiresAtTicks)
        {
            Key = key;
            Response = response;
            Dependencies = dependencies;
            Cost = cost;
            ExpiresAtTicks = expiresAtTicks;
            Recency = new LinkedListNode<Entry>(this);
        }

        public ResponseKey Key { get; }
        public CachedResponse Response { get; }
        public string[] Dependencies { get; }
        public long Cost { get; }
        public long ExpiresAtTicks { get; }
        public LinkedListNode<Entry> Recency { get; }
    }

    private sealed record Scheduled(DateTimeOffset At, IReadOnlyCollection<string> Keys, Action<bool>? Then);
}

/// <summary>
/// A kept answer: the bytes sent (<c>{"data":…}</c>), their ETag, and where the data lies in them, so that a
/// transport writing a list of results (a batch) can still write it as a result.
/// </summary>
public sealed class CachedResponse
{
    private readonly Range data;

    private CachedResponse(byte[] body, Range data)
    {
        Body = body;
        this.data = data;
        ETag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
    }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The weak ETag of <see cref="Body"/>, as the HTTP endpoint computes it for any cacheable answer.</summary>
    public string ETag { get; }

    /// <summary>The answer as a result that serializes to the same bytes.</summary>
    public ExecutionResult ToResult() => new() { Executed = true, Data = new SerializedJson(Body[data]) };

    /// <summary>The answer of these bytes when they are exactly <c>{"data":…}</c>: no errors, no extensions.</summary>
    internal static CachedResponse? Of(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("data"u8)
            || !reader.Read())
            return null;
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return reader.Read() && reader.TokenType == JsonTokenType.EndObject && !reader.Read()
            ? new CachedResponse(body, start..end)
            : null;
    }
}

/// <summary>JSON already serialized, written as it is.</summary>
[JsonConverter(typeof(Converter))]
internal sealed class SerializedJson(ReadOnlyMemory<byte> json)
{
    private ReadOnlyMemory<byte> Json { get; } = json;

    private sealed class Converter : JsonConverter<SerializedJson>
    {
        public override SerializedJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, SerializedJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
    }
}

/// <summary>What makes two requests the same question: SHA-256 of the document, the operation name and the variables in canonical JSON.</summary>
public readonly record struct ResponseKey(UInt128 First, UInt128 Second)
{
    public static ResponseKey Of(string document, string? operationName, JsonElement? variables)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, document);
        Append(hash, operationName ?? "");
        var canonical = new ArrayBufferWriter<byte>(256);
        if (variables is { ValueKind: JsonValueKind.Object } given && given.EnumerateObject().Any())
        {
            using var writer = new Utf8JsonWriter(canonical);
            WriteCanonical(writer, given);
        }

        AppendLength(hash, canonical.WrittenCount);
        hash.AppendData(canonical.WrittenSpan);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new ResponseKey(BinaryPrimitives.ReadUInt128LittleEndian(digest), BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]));
    }

    private static void Append(IncrementalHash hash, string text)
    {
        // Each part is preceded by its length, so that no two different (document, name, variables) run together alike.
        AppendLength(hash, text.Length);
        hash.AppendData(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    private static void AppendLength(IncrementalHash hash, int length)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, length);
        hash.AppendData(prefix);
    }

    /// <summary>Objects with their properties in ordinal order (a repeated name keeps its order), strings re-escaped, numbers as written.</summary>
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

/// <summary>What an answer depends on, which the host knows and the server kit does not: the keys it invalidates answers by.</summary>
public interface IResponseDependencies
{
    /// <summary>The keys the successful answer <paramref name="result"/> depends on; null when it must not be kept.</summary>
    IReadOnlyCollection<string>? Of(ExecutionResult result);
}

/// <summary>The host's side of invalidation, which the executor waits for.</summary>
public interface IResponseCacheInvalidation
{
    /// <summary>
    /// Completes once every change committed so far is invalidated on this instance. The executor waits for it before it
    /// answers a mutation, so that the client then reads what it wrote (other instances hear of it moments later).
    /// </summary>
    Task CaughtUpAsync(CancellationToken cancellationToken);
}

public static class ExecutionNodes
{
    /// <summary>Every node of an executed result's tree, parents before their children.</summary>
    public static IEnumerable<ExecutionNode> All(ExecutionResult result)
    {
        if (result.Data is not ExecutionNode root)
            yield break;
        var pending = new Stack<ExecutionNode>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            yield return node;
            switch (node)
            {
                case ObjectExecutionNode { SubFields: { } fields }:
                    foreach (var field in fields)
                        pending.Push(field);
                    break;
                case ArrayExecutionNode { Items: { } items }:
                    foreach (var item in items)
                        pending.Push(item);
                    break;
            }
        }
    }
}
