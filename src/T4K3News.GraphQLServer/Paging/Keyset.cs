using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using GraphQL;
using GraphQL.DataLoader;
using Microsoft.EntityFrameworkCore;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Keyset cursors in HotChocolate v14's format: the row's sort-key values joined by <c>:</c> (a <c>:</c> inside a value
/// escaped as <c>\:</c>), in base64. A time is <c>yyyyMMddHHmmssfffffff#1</c> (UTC; HotChocolate writes the kind after
/// the <c>#</c>), an integer its digits; a null key (a draft's publication time) is written empty.
/// </summary>
public static class KeysetCursor
{
    private const string TimeFormat = "yyyyMMddHHmmssfffffff";

    public static string Format(IEnumerable<string> values) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join(':', values.Select(v => v.Replace(":", "\\:", StringComparison.Ordinal)))));

    /// <summary>The values of a decoded cursor's text, or null when it has no unescaped separator (an offset, or garbage).</summary>
    public static string[]? Split(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == ':')
            {
                current.Append(':');
                i++;
            }
            else if (text[i] == ':')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        parts.Add(current.ToString());
        return parts.Count > 1 ? [.. parts] : null;
    }

    public static string FormatValue(object? value) => value switch
    {
        null => "",
        DateTime time => time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture) + "#1",
        int number => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"No keyset cursor for {value.GetType().Name} keys."),
    };

    /// <summary>A cursor's value for a key of <paramref name="type"/>; false when it is not one this server writes.</summary>
    public static bool TryParseValue(string text, Type type, out object? value)
    {
        value = null;
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (text.Length == 0)
            return nullable;
        if (underlying == typeof(DateTime))
        {
            if (text.Length != TimeFormat.Length + 2 || !text.EndsWith("#1", StringComparison.Ordinal)
                || !DateTime.TryParseExact(text.AsSpan(0, TimeFormat.Length), TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
                return false;
            value = time;
            return true;
        }

        if (underlying == typeof(int) && text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }

        return false;
    }
}

/// <summary>
/// An order whose keys identify each row (the last is unique), so that a page after or before a row is the rows beyond
/// its keys: it costs what the first page costs, however deep. Directions are PostgreSQL's: nulls last ascending, first
/// descending.
/// </summary>
public sealed class KeysetOrder<T>(IReadOnlyList<(LambdaExpression Key, bool Descending)> keys)
{
    private readonly Func<T, object?>[] read = [.. keys.Select(k => Compile(k.Key))];

    public IReadOnlyList<(LambdaExpression Key, bool Descending)> Keys => keys;

    public string CursorOf(T row) => KeysetCursor.Format(read.Select(r => KeysetCursor.FormatValue(r(row))));

    /// <summary>A cursor's key values, typed; an <see cref="ExecutionError"/> (INVALID_CURSOR) when they do not fit this order.</summary>
    public object?[] Values(string[] parts, string argument)
    {
        var values = new object?[keys.Count];
        if (parts.Length != keys.Count)
            throw InvalidCursor(argument);
        for (var i = 0; i < parts.Length; i++)
            if (!KeysetCursor.TryParseValue(parts[i], keys[i].Key.ReturnType, out values[i]))
                throw InvalidCursor(argument);
        return values;
    }

    public static ExecutionError InvalidCursor(string argument) =>
        new($"'{argument}' is not a cursor this server gave out for this list and order.") { Code = ErrorCodes.InvalidCursor };

    /// <summary>The rows beyond <paramref name="values"/> in this order (<paramref name="reversed"/>: before them).</summary>
    public Expression<Func<T, bool>> Beyond(object?[] values, bool reversed)
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = new ParameterReplacer(keys[i].Key.Parameters[0], row).Visit(keys[i].Key.Body);
            var value = Parameter(values[i], key.Type);
            var beyond = Beyond(key, value, values[i] is null, keys[i].Descending != reversed);
            var term = Expression.AndAlso(equalSoFar, beyond);
            any = any is null ? term : Expression.OrElse(any, term);
            equalSoFar = Expression.AndAlso(equalSoFar, values[i] is null ? Expression.Equal(key, Expression.Constant(null, key.Type)) : Expression.Equal(key, value));
        }

        // The first key's bound again, on its own: an index on it then starts at the cursor instead of walking to it.
        if (values[0] is not null)
        {
            var first = new ParameterReplacer(keys[0].Key.Parameters[0], row).Visit(keys[0].Key.Body);
            var value = Parameter(values[0], first.Type);
            var nullable = !first.Type.IsValueType || Nullable.GetUnderlyingType(first.Type) is not null;
            Expression bound = keys[0].Descending != reversed
                ? Expression.LessThanOrEqual(first, value)
                : nullable
                    ? Expression.OrElse(Expression.GreaterThanOrEqual(first, value), Expression.Equal(first, Expression.Constant(null, first.Type)))
                    : Expression.GreaterThanOrEqual(first, value);
            any = Expression.AndAlso(bound, any!);
        }

        return Expression.Lambda<Func<T, bool>>(any!, row);
    }

    public IOrderedQueryable<T> Order(IQueryable<T> query, bool reversed)
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var (key, descending) in keys)
        {
            var method = (ordered is null, descending != reversed) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            var source = (IQueryable<T>?)ordered ?? query;
            ordered = (IOrderedQueryable<T>)source.Provider.CreateQuery<T>(
                Expression.Call(typeof(Queryable), method, [typeof(T), key.ReturnType], source.Expression, Expression.Quote(key)));
        }

        return ordered!;
    }

    /// <summary>A key past a value: ascending greater or null (nulls last), descending smaller (nulls first), or not null when the value is.</summary>
    private static Expression Beyond(Expression key, Expression value, bool valueIsNull, bool descending)
    {
        var nullable = !key.Type.IsValueType || Nullable.GetUnderlyingType(key.Type) is not null;
        if (valueIsNull)
            return descending ? Expression.NotEqual(key, Expression.Constant(null, key.Type)) : Expression.Constant(false);
        if (descending)
            return Expression.LessThan(key, value);
        return nullable ? Expression.OrElse(Expression.GreaterThan(key, value), Expression.Equal(key, Expression.Constant(null, key.Type))) : Expression.GreaterThan(key, value);
    }

    /// <summary>A value as a query parameter (a captured field, as EF Core parameterises a closure), not a literal: one plan for every cursor.</summary>
    private static Expression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), "Value");
    }

    private static Func<T, object?> Compile(LambdaExpression key)
    {
        var row = Expression.Parameter(typeof(T));
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Invoke(key, row), typeof(object)), row).Compile();
    }

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>A cursor's key value held by reference, so that EF Core sends it as a parameter.</summary>
internal sealed class Box<TValue>(TValue value)
{
    public readonly TValue Value = value;
}

public static class KeysetPaging
{
    /// <summary>
    /// A connection paged by keys when <paramref name="keyset"/> is given and no offset cursor was sent: rows beyond
    /// 'after' and before 'before', the page's size taken from the front ('first') or the back ('last'). Otherwise the
    /// offset paging of <see cref="Paging.ToConnectionAsync"/>, so clients holding offset cursors keep working.
    /// </summary>
    public static async Task<Connection<T>> ToKeysetConnectionAsync<T, TContext>(
        this IResolveFieldContext context,
        IDbContextFactory<TContext> databases,
        Func<TContext, IQueryable<T>> filteredQuery,
        Func<IQueryable<T>, IQueryable<T>> ordered,
        KeysetOrder<T>? keyset,
        CancellationToken cancellationToken)
        where TContext : DbContext
    {
        var arguments = PagingArguments.From(context);
        if (keyset is null || arguments.HasOffsets)
            return await context.ToConnectionAsync(databases, db => ordered(filteredQuery(db)), cancellationToken);

        var page = KeysetPage.Of(arguments, keyset);
        List<T> rows;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var query = filteredQuery(db);
            if (page.After is { } after)
                query = query.Where(keyset.Beyond(after, reversed: false));
            if (page.Before is { } before)
                query = query.Where(keyset.Beyond(before, reversed: true));
            rows = page.Size == 0 ? [] : await keyset.Order(query, page.Backward).Take(page.Size + 1).ToListAsync(cancellationToken);
        }

        var shown = rows.Take(page.Size).ToList();
        if (page.Backward)
            shown.Reverse();
        var edges = shown.Select(row => new Edge<T>(keyset.CursorOf(row), row)).ToList();
        var more = rows.Count > page.Size;
        var pageInfo = new PageInfo(
            HasNextPage: page.Backward ? page.Before is not null : more,
            HasPreviousPage: page.Backward ? more : page.After is not null,
            StartCursor: edges.FirstOrDefault()?.Cursor,
            EndCursor: edges.LastOrDefault()?.Cursor);

        async Task<int> CountAsync(CancellationToken ct)
        {
            await using var db = await databases.CreateDbContextAsync(ct);
            return await filteredQuery(db).CountAsync(ct);
        }

        return new Connection<T>(edges, pageInfo, ct => new UnbatchedResult<int>(CountAsync(ct)));
    }
}

/// <summary>A keyset page: its size, from which end it is taken, and the typed keys of 'after' and 'before'.</summary>
public sealed record KeysetPage(int Size, bool Backward, object?[]? After, object?[]? Before)
{
    public static KeysetPage Of<T>(PagingArguments arguments, KeysetOrder<T> keyset) => new(
        arguments.First ?? arguments.Last ?? Paging.DefaultPageSize,
        arguments.Last is not null,
        arguments.AfterKey is { } after ? keyset.Values(after, "after") : null,
        arguments.BeforeKey is { } before ? keyset.Values(before, "before") : null);
}
