using System.Text;
using GraphQL;
using GraphQL.Builders;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace T4K3News.GraphQLServer;

/// <summary>
/// The rows [Start, Start + Size) of an ordered list. <paramref name="End"/> is where 'before' (or the end, for 'last')
/// cuts the list; <paramref name="HasEarlierRows"/> says whether rows between 'after' and the page were left out;
/// <paramref name="Backward"/> is paging with 'last', where the row at 'before' itself shows that a next page exists.
/// </summary>
public sealed record PageWindow(int Start, int Size, int? End, bool HasEarlierRows, bool Backward);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record Edge<T>(string Cursor, T Node);

/// <summary>A Relay connection whose total is counted only when a client asks for it.</summary>
public sealed class Connection<T>(IReadOnlyList<Edge<T>> edges, PageInfo pageInfo, Func<CancellationToken, IDataLoaderResult<int>> countTotal)
{
    public IReadOnlyList<Edge<T>> Edges => edges;
    public IEnumerable<T> Nodes => edges.Select(e => e.Node);
    public PageInfo PageInfo => pageInfo;
    public IDataLoaderResult<int> TotalCount(CancellationToken cancellationToken) => countTotal(cancellationToken);
}

/// <summary>
/// A client's first/after/last/before, checked. A cursor is an offset (<see cref="After"/>, <see cref="Before"/>) or
/// the sort keys of a row (<see cref="AfterKey"/>, <see cref="BeforeKey"/>, see <see cref="KeysetCursor"/>), which only a
/// list with a keyset order accepts.
/// </summary>
public sealed record PagingArguments(int? First, int? Last, int? After, int? Before, string[]? AfterKey = null, string[]? BeforeKey = null)
{
    public bool HasOffsets => After is not null || Before is not null;

    public bool HasKeys => AfterKey is not null || BeforeKey is not null;

    public static PagingArguments From(IResolveFieldContext context) =>
        Of(context.GetArgument<int?>("first"), context.GetArgument<int?>("last"), context.GetArgument<string?>("after"), context.GetArgument<string?>("before"));

    /// <summary>Checks the arguments as a connection field receives them; a problem is an <see cref="ExecutionError"/> with its code.</summary>
    public static PagingArguments Of(int? first, int? last, string? after, string? before)
    {
        var (afterOffset, afterKey) = DecodeCursor(after, "after");
        var (beforeOffset, beforeKey) = DecodeCursor(before, "before");
        var arguments = new PagingArguments(first, last, afterOffset, beforeOffset, afterKey, beforeKey);
        if (arguments.HasOffsets && arguments.HasKeys)
            throw new ExecutionError("'after' and 'before' must come from the same page of results.") { Code = ErrorCodes.InvalidCursor };
        CheckPageSize(arguments.First, "first");
        CheckPageSize(arguments.Last, "last");
        if (arguments.First is not null && arguments.Last is not null)
            throw new ExecutionError("Pass either 'first' or 'last', not both.") { Code = ErrorCodes.InvalidPagingArguments };
        return arguments;
    }

    /// <summary>'last' without 'before' counts back from the end, so the total must be known first.</summary>
    public bool NeedsTotal => Last is not null && Before is null && !HasKeys;

    /// <summary>The rows of the page; <paramref name="total"/> is needed when <see cref="NeedsTotal"/>.</summary>
    public PageWindow Window(int? total = null)
    {
        // This list pages by offsets only (its order does not identify rows by their keys).
        if (HasKeys)
            throw KeysetOrder<object>.InvalidCursor(AfterKey is not null ? "after" : "before");
        var start = After + 1 ?? 0;
        var end = Before ?? (NeedsTotal ? total ?? throw new InvalidOperationException("The total is needed for 'last'.") : null);
        if (Last is { } takeLast)
        {
            var from = Math.Max(start, end!.Value - takeLast);
            return new PageWindow(from, Math.Max(0, end.Value - from), end, HasEarlierRows: from > start, Backward: true);
        }

        var wanted = First ?? Paging.DefaultPageSize;
        return new PageWindow(start, end is { } stop ? Math.Max(0, Math.Min(wanted, stop - start)) : wanted, end, HasEarlierRows: start > 0, Backward: false);
    }

    /// <summary>The connection for the rows fetched for <paramref name="window"/> (one more than its size when there are more).</summary>
    public static Connection<T> ToConnection<T>(PageWindow window, IReadOnlyList<T> rows, Func<CancellationToken, IDataLoaderResult<int>> countTotal)
    {
        var edges = rows.Take(window.Size).Select((node, i) => new Edge<T>(EncodeCursor(window.Start + i), node)).ToList();
        var pageInfo = new PageInfo(
            // Paging forwards, the row after the page counts only when it lies before 'before'.
            HasNextPage: rows.Count > window.Size && (window.Backward || window.End is not { } end || window.Start + window.Size < end),
            HasPreviousPage: window.HasEarlierRows,
            StartCursor: edges.FirstOrDefault()?.Cursor,
            EndCursor: edges.LastOrDefault()?.Cursor);
        return new Connection<T>(edges, pageInfo, countTotal);
    }

    private static void CheckPageSize(int? size, string argument)
    {
        if (size < 0)
            throw new ExecutionError($"'{argument}' cannot be negative.") { Code = ErrorCodes.InvalidPagingArguments };
        if (size > Paging.MaxPageSize)
            throw new ExecutionError($"'{argument}' can be at most {Paging.MaxPageSize}; ask for the next page with 'after' instead.")
            {
                Code = ErrorCodes.PageSizeTooLarge,
            };
    }

    private const int MaxCursorLength = 64;

    private static string EncodeCursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static (int? Offset, string[]? Key) DecodeCursor(string? cursor, string argument)
    {
        if (cursor is null)
            return (null, null);
        var bytes = new byte[cursor.Length];
        if (cursor.Length <= MaxCursorLength && Convert.TryFromBase64String(cursor, bytes, out var length))
        {
            var text = Encoding.UTF8.GetString(bytes, 0, length);
            if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out var offset) && offset <= Paging.MaxOffset)
                return (offset, null);
            if (KeysetCursor.Split(text) is { } key)
                return (null, key);
        }

        throw new ExecutionError($"'{argument}' is not a cursor this server gave out.") { Code = ErrorCodes.InvalidCursor };
    }
}

/// <summary>
/// Cursor paging over an ordered query, in HotChocolate's shape. Cursors are opaque offsets into the ordered list,
/// as in HotChocolate's default for queryables: cheap and stable while the list does not change under the reader.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 50;

    /// <summary>The deepest row an offset cursor may point at; far beyond any list, and far from overflowing.</summary>
    public const int MaxOffset = 100_000_000;

    public static FieldBuilder<TSource, TReturn> PagingArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) => field
        .Argument<IntGraphType>("first", $"Returns the first n items (at most {MaxPageSize}).")
        .Argument<StringGraphType>("after", "Returns the items after this cursor.")
        .Argument<IntGraphType>("last", $"Returns the last n items (at most {MaxPageSize}).")
        .Argument<StringGraphType>("before", "Returns the items before this cursor.");

    public static async Task<Connection<T>> ToConnectionAsync<T, TContext>(
        this IResolveFieldContext context,
        IDbContextFactory<TContext> databases,
        Func<TContext, IQueryable<T>> orderedQuery,
        CancellationToken cancellationToken)
        where TContext : DbContext
    {
        var arguments = T4K3News.GraphQLServer.PagingArguments.From(context);

        async Task<int> CountAsync(CancellationToken ct)
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await orderedQuery(db).CountAsync(ct);
        }

        int? knownTotal = arguments.NeedsTotal ? await CountAsync(cancellationToken) : null;
        var window = arguments.Window(knownTotal);
        List<T> rows;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            rows = window.Size == 0 ? [] : await orderedQuery(db).Skip(window.Start).Take(window.Size + 1).ToListAsync(cancellationToken);

        return T4K3News.GraphQLServer.PagingArguments.ToConnection(window, rows, ct =>
            new UnbatchedResult<int>(knownTotal is { } total ? Task.FromResult(total) : CountAsync(ct)));
    }
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Information about pagination in a connection.";
        Field(p => p.HasNextPage);
        Field(p => p.HasPreviousPage);
        Field(p => p.StartCursor, nullable: true);
        Field(p => p.EndCursor, nullable: true);
    }
}

public abstract class EdgeType<TNode, TNodeType> : ObjectGraphType<Edge<TNode>>
    where TNodeType : IGraphType
{
    protected EdgeType(string name)
    {
        Name = name;
        Description = "An edge in a connection.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(c => c.Source.Node);
    }
}

public abstract class ConnectionType<TNode, TNodeType, TEdgeType> : ObjectGraphType<Connection<TNode>>
    where TNodeType : IGraphType
    where TEdgeType : EdgeType<TNode, TNodeType>
{
    protected ConnectionType(string name)
    {
        Name = name;
        Description = "A connection to a list of items.";
        Field<ListGraphType<NonNullGraphType<TEdgeType>>>("edges").Description("A list of edges.").Resolve(c => c.Source.Edges);
        Field<ListGraphType<NonNullGraphType<TNodeType>>>("nodes").Description("A flattened list of the nodes.").Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Information to aid in pagination.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("Identifies the total count of items in the connection.")
            .Resolve(c => c.Source.TotalCount(c.CancellationToken));
    }
}
