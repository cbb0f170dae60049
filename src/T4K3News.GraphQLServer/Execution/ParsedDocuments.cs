using System.Collections.Concurrent;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using GraphQLParserApi = GraphQLParser.Parser;

namespace T4K3News.GraphQLServer;

/// <summary>
/// The documents the executor keeps parsed, each with what was learnt from it: that it validated, the planners' kept
/// plans of its fields (<see cref="ParsedDocument.Plans"/>) and its <see cref="RepeatPlan"/>. They live and go together:
/// a plan is kept by the parsed field it was made for, so it is of no use once its document is parsed anew. Bounded by
/// count (<see cref="GraphQLServerOptions.ParsedDocumentsMaxCount"/>) and by bytes
/// (<see cref="GraphQLServerOptions.ParsedDocumentsMaxBytes"/>: each document's text, what parsing it allocated, and its
/// plans as their planners weigh them): past either, every document is dropped at once and the ones still in use are
/// parsed again on their next request. Front ends send a few documents; only traffic that sends a new one each time
/// reaches a bound, and it pays the parsing anyway.
/// </summary>
public sealed class ParsedDocuments
{
    private readonly IOptions<GraphQLServerOptions> options;

    public ParsedDocuments(IOptions<GraphQLServerOptions> options)
    {
        this.options = options;
        Telemetry.GraphQLTelemetry.ObserveStore("parsed_documents", this, documents => documents.Size);
    }

    /// <summary>The key in an execution's user context under which the executor leaves the document's <see cref="ParsedDocument"/>.</summary>
    internal const string Slot = "t4k3news:parsedDocument";

    private Shelf current = new();

    /// <summary>The documents kept and their bytes (text, syntax tree, plans).</summary>
    public (int Count, long Bytes) Size
    {
        get
        {
            var shelf = Volatile.Read(ref current);
            return (shelf.Documents.Count, Interlocked.Read(ref shelf.Bytes));
        }
    }

    private int drops;

    /// <summary>How many times the documents were dropped for a bound, for the tests.</summary>
    public int Drops => drops;

    /// <summary>The document parsed (once, then kept); throws the parser's exception for a document that does not parse.</summary>
    public ParsedDocument Parse(string query)
    {
        if (Volatile.Read(ref current).Documents.TryGetValue(query, out var known))
            return known;

        // What the parser allocates is the syntax tree (and little else): its size, measured rather than guessed.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var syntax = GraphQLParserApi.Parse(query);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before + 24 + (2L * query.Length);

        // Room is made before it is kept, so that the store holds it (and what it learns) once it is parsed.
        var limits = options.Value;
        var shelf = Volatile.Read(ref current);
        if (Volatile.Read(ref shelf.Count) + 1 > limits.ParsedDocumentsMaxCount || Interlocked.Read(ref shelf.Bytes) + bytes > limits.ParsedDocumentsMaxBytes)
            shelf = Drop(shelf);
        var document = new ParsedDocument(syntax, shelf, this);
        if (shelf.Documents.TryAdd(query, document))
        {
            Interlocked.Increment(ref shelf.Count);
            document.Add(bytes);
        }

        return document;
    }

    /// <summary>A document learnt something worth <paramref name="bytes"/>: past the bound, every document goes, this one too.</summary>
    internal void Grew(Shelf shelf, long bytes)
    {
        if (Interlocked.Add(ref shelf.Bytes, bytes) > options.Value.ParsedDocumentsMaxBytes)
            Drop(shelf);
    }

    /// <summary>Replaces <paramref name="shelf"/> with an empty one, unless another thread did; the current shelf.</summary>
    private Shelf Drop(Shelf shelf)
    {
        var empty = new Shelf();
        var previous = Interlocked.CompareExchange(ref current, empty, shelf);
        if (previous != shelf)
            return previous;
        Interlocked.Increment(ref drops);
        return empty;
    }

    /// <summary>One generation of kept documents; what is added to a dropped one is counted there and forgotten with it.</summary>
    internal sealed class Shelf
    {
        public readonly ConcurrentDictionary<string, ParsedDocument> Documents = new(StringComparer.Ordinal);
        public int Count;
        public long Bytes;
    }
}

/// <summary>A kept parsed document and what was learnt from it (see <see cref="ParsedDocuments"/>).</summary>
public sealed class ParsedDocument
{
    private readonly ParsedDocuments.Shelf shelf;
    private readonly ParsedDocuments store;
    private volatile bool valid;
    private volatile RepeatedOperation? repeat;
    private ConcurrentDictionary<(GraphQLField Field, bool Editor), object?>? plans;

    internal ParsedDocument(GraphQLDocument document, ParsedDocuments.Shelf shelf, ParsedDocuments store)
    {
        Document = document;
        this.shelf = shelf;
        this.store = store;
    }

    public GraphQLDocument Document { get; }

    /// <summary>Whether it once passed GraphQL's own validation (then only the variable-dependent limits run again).</summary>
    public bool Valid
    {
        get => valid;
        set => valid = value;
    }

    /// <summary>How an anonymous reader's request of one of its operations is answered again (see <see cref="RepeatPlan"/>).</summary>
    internal RepeatedOperation? Repeat
    {
        get => repeat;
        set
        {
            repeat = value;
            if (value is not null)
                Add(value.Plan.Bytes);
        }
    }

    /// <summary>The plan a planner kept for <paramref name="field"/> (of this document) and role; a kept null is a field it declined.</summary>
    public bool TryGetPlan<TPlan>(GraphQLField field, bool editor, out TPlan? plan)
        where TPlan : class
    {
        if (plans is { } kept && kept.TryGetValue((field, editor), out var found) && found is null or TPlan)
        {
            plan = (TPlan?)found;
            return true;
        }

        plan = null;
        return false;
    }

    /// <summary>Keeps a planner's plan of <paramref name="field"/> with its weight in bytes, counted towards the bound.</summary>
    public void KeepPlan(GraphQLField field, bool editor, object? plan, long bytes)
    {
        var kept = LazyInitializer.EnsureInitialized(ref plans, () => new(new SameField()));
        if (kept.TryAdd((field, editor), plan))
            Add(bytes + 64);
    }

    internal void Add(long bytes) => store.Grew(shelf, bytes);

    /// <summary>A parsed field is its own identity: the same text in two documents is two fields.</summary>
    private sealed class SameField : IEqualityComparer<(GraphQLField Field, bool Editor)>
    {
        public bool Equals((GraphQLField Field, bool Editor) x, (GraphQLField Field, bool Editor) y) => ReferenceEquals(x.Field, y.Field) && x.Editor == y.Editor;

        public int GetHashCode((GraphQLField Field, bool Editor) key) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Field), key.Editor);
    }
}

/// <summary>An operation of a document answered again from its <see cref="RepeatPlan"/> when asked by the same name.</summary>
internal sealed record RepeatedOperation(string? OperationName, RepeatPlan Plan);
