using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using GraphQL;
using GraphQL.Types;

namespace T4K3News.GraphQLServer.Filtering;

/// <summary>
/// The filterable fields of one entity. The same definition gives the <c>where</c> input type its fields
/// and turns a client's <c>where</c> value into a predicate EF Core translates to SQL.
/// </summary>
public sealed class EntityFilter<T>
{
    private readonly Dictionary<string, FilterField> fields = [];

    public IEnumerable<(string Name, Type GraphType)> Fields => fields.Select(f => (f.Key, f.Value.GraphType));

    /// <summary>How a field filters, for translators other than EF Core (a planned SQL read): its kind and selector.</summary>
    public bool TryGetField(string name, out FilterFieldKind kind, out LambdaExpression selector, out object? itemFilter)
    {
        var found = fields.TryGetValue(name, out var field);
        (kind, selector, itemFilter) = found ? (field!.Kind, field.Selector, field.ItemFilter) : (default, null!, null);
        return found;
    }

    public EntityFilter<T> String(string name, Expression<Func<T, string?>> selector) =>
        Add(name, FilterFieldKind.String, typeof(StringOperationFilterInputType), selector, Comparisons.String);

    public EntityFilter<T> DateTime(string name, Expression<Func<T, DateTime?>> selector) =>
        Add(name, FilterFieldKind.Ordered, typeof(DateTimeOperationFilterInputType), selector, Comparisons.Ordered<DateTime?>(ToUtc));

    public EntityFilter<T> Int(string name, Expression<Func<T, int>> selector) =>
        Add(name, FilterFieldKind.Ordered, typeof(IntOperationFilterInputType), selector, Comparisons.Ordered<int>(v => v));

    public EntityFilter<T> Enum<TEnum, TOperationFilterType>(string name, Expression<Func<T, TEnum>> selector)
        where TEnum : struct, System.Enum
        where TOperationFilterType : IInputObjectGraphType =>
        Add(name, FilterFieldKind.Equatable, typeof(TOperationFilterType), selector, Comparisons.Equatable<TEnum>());

    public EntityFilter<T> List<TItem, TListFilterType>(string name, Expression<Func<T, IEnumerable<TItem>>> selector, EntityFilter<TItem> itemFilter)
        where TListFilterType : IInputObjectGraphType
    {
        fields[name] = new FilterField(FilterFieldKind.List, typeof(TListFilterType), selector,
            (value, operations) => Comparisons.List(value, operations, itemFilter), itemFilter);
        return this;
    }

    public Expression<Func<T, bool>> ToPredicate(object? where)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        return Expression.Lambda<Func<T, bool>>(Build(parameter, where), parameter);
    }

    internal Expression Build(ParameterExpression entity, object? where)
    {
        var conditions = new List<Expression>();
        foreach (var (name, value) in AsObject(where))
        {
            if (value is null)
                continue;
            if (name is "and" or "or")
            {
                var parts = AsList(value).Select(item => Build(entity, item)).ToList();
                if (parts.Count > 0)
                    conditions.Add(Comparisons.Balanced(parts, name == "and" ? Expression.AndAlso : Expression.OrElse));
                continue;
            }

            var field = fields.GetValueOrDefault(name)
                ?? throw new ExecutionError($"'{name}' cannot be filtered on.") { Code = ErrorCodes.InvalidFilter };
            var selected = new ReplaceParameter(field.Selector.Parameters[0], entity).Visit(field.Selector.Body);
            conditions.Add(field.Compare(selected, AsObject(value)));
        }

        return conditions.Count == 0 ? Expression.Constant(true) : Comparisons.Balanced(conditions, Expression.AndAlso);
    }

    private EntityFilter<T> Add(string name, FilterFieldKind kind, Type graphType, LambdaExpression selector, Func<Expression, IDictionary<string, object?>, Expression> compare)
    {
        fields[name] = new FilterField(kind, graphType, selector, compare, null);
        return this;
    }

    private static DateTime? ToUtc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } utc => utc,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        { } unspecified => System.DateTime.SpecifyKind(unspecified, DateTimeKind.Utc),
    };

    internal static IDictionary<string, object?> AsObject(object? value) =>
        value as IDictionary<string, object?> ?? throw new ExecutionError("Expected a filter object.") { Code = ErrorCodes.InvalidFilter };

    internal static IEnumerable<object?> AsList(object? value) =>
        value is IEnumerable list and not string ? list.Cast<object?>() : [value];

    private sealed record FilterField(FilterFieldKind Kind, Type GraphType, LambdaExpression Selector, Func<Expression, IDictionary<string, object?>, Expression> Compare, object? ItemFilter);

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

public enum FilterFieldKind
{
    /// <summary>eq neq in nin contains ncontains startsWith nstartsWith endsWith nendsWith, and/or.</summary>
    String,

    /// <summary>eq neq in nin gt ngt gte ngte lt nlt lte nlte.</summary>
    Ordered,

    /// <summary>eq neq in nin.</summary>
    Equatable,

    /// <summary>some none all any, over the items' own filter.</summary>
    List,
}

/// <summary>Operation inputs (<c>eq</c>, <c>contains</c>, <c>gt</c>, <c>some</c>, ...) as expressions over one selected value.</summary>
internal static class Comparisons
{
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringEndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;

    public static Expression String(Expression value, IDictionary<string, object?> operations)
    {
        var conditions = new List<Expression>();
        foreach (var (operation, operand) in operations)
        {
            if (operation is "and" or "or")
            {
                var parts = EntityFilter<object>.AsList(operand).Select(o => String(value, EntityFilter<object>.AsObject(o))).ToList();
                if (parts.Count > 0)
                    conditions.Add(Balanced(parts, operation == "and" ? Expression.AndAlso : Expression.OrElse));
                continue;
            }

            conditions.Add(operation switch
            {
                "eq" => Expression.Equal(value, Parameter((string?)operand)),
                "neq" => Expression.NotEqual(value, Parameter((string?)operand)),
                "in" => In(value, Strings(operand, operation)),
                "nin" => Expression.Not(In(value, Strings(operand, operation))),
                "contains" => Call(value, StringContains, operand, operation),
                "ncontains" => Expression.Not(Call(value, StringContains, operand, operation)),
                "startsWith" => Call(value, StringStartsWith, operand, operation),
                "nstartsWith" => Expression.Not(Call(value, StringStartsWith, operand, operation)),
                "endsWith" => Call(value, StringEndsWith, operand, operation),
                "nendsWith" => Expression.Not(Call(value, StringEndsWith, operand, operation)),
                _ => throw Unknown(operation),
            });
        }

        return All(conditions);
    }

    public static Func<Expression, IDictionary<string, object?>, Expression> Ordered<TValue>(Func<TValue, TValue> normalize) =>
        (value, operations) =>
        {
            value = Expression.Convert(value, typeof(TValue));
            var conditions = new List<Expression>();
            foreach (var (operation, operand) in operations)
            {
                Expression Operand() => Parameter(normalize(Required<TValue>(operand, operation)));
                conditions.Add(operation switch
                {
                    "eq" => Expression.Equal(value, Parameter(operand is null ? default! : normalize((TValue)operand))),
                    "neq" => Expression.NotEqual(value, Parameter(operand is null ? default! : normalize((TValue)operand))),
                    "in" => In(value, Values<TValue>(operand, operation).Select(normalize).ToList()),
                    "nin" => Expression.Not(In(value, Values<TValue>(operand, operation).Select(normalize).ToList())),
                    "gt" => Expression.GreaterThan(value, Operand()),
                    "ngt" => Expression.Not(Expression.GreaterThan(value, Operand())),
                    "gte" => Expression.GreaterThanOrEqual(value, Operand()),
                    "ngte" => Expression.Not(Expression.GreaterThanOrEqual(value, Operand())),
                    "lt" => Expression.LessThan(value, Operand()),
                    "nlt" => Expression.Not(Expression.LessThan(value, Operand())),
                    "lte" => Expression.LessThanOrEqual(value, Operand()),
                    "nlte" => Expression.Not(Expression.LessThanOrEqual(value, Operand())),
                    _ => throw Unknown(operation),
                });
            }

            return All(conditions);
        };

    public static Func<Expression, IDictionary<string, object?>, Expression> Equatable<TValue>() =>
        (value, operations) => All(operations.Select(pair => pair.Key switch
        {
            "eq" => Expression.Equal(value, Parameter(Required<TValue>(pair.Value, pair.Key))),
            "neq" => Expression.NotEqual(value, Parameter(Required<TValue>(pair.Value, pair.Key))),
            "in" => In(value, Values<TValue>(pair.Value, pair.Key)),
            "nin" => Expression.Not(In(value, Values<TValue>(pair.Value, pair.Key))),
            _ => throw Unknown(pair.Key),
        }).ToList());

    public static Expression List<TItem>(Expression items, IDictionary<string, object?> operations, EntityFilter<TItem> itemFilter)
    {
        var conditions = new List<Expression>();
        foreach (var (operation, operand) in operations)
        {
            if (operand is null)
                continue;
            if (operation == "any")
            {
                var any = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TItem)], items);
                conditions.Add((bool)operand ? any : Expression.Not(any));
                continue;
            }

            var item = Expression.Parameter(typeof(TItem), "item");
            var predicate = Expression.Lambda<Func<TItem, bool>>(itemFilter.Build(item, operand), item);
            conditions.Add(operation switch
            {
                "some" => Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TItem)], items, predicate),
                "none" => Expression.Not(Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TItem)], items, predicate)),
                "all" => Expression.Call(typeof(Enumerable), nameof(Enumerable.All), [typeof(TItem)], items, predicate),
                _ => throw Unknown(operation),
            });
        }

        return All(conditions);
    }

    private static Expression All(List<Expression> conditions) =>
        conditions.Count == 0 ? Expression.Constant(true) : Balanced(conditions, Expression.AndAlso);

    /// <summary>
    /// Joins conditions as a balanced tree, not a chain: n conditions nest log2(n) deep, so EF Core's recursive
    /// expression visitors and PostgreSQL's parser never see a deep tree whatever a filter holds.
    /// </summary>
    public static Expression Balanced(IReadOnlyList<Expression> conditions, Func<Expression, Expression, Expression> join)
    {
        var level = conditions.ToList();
        while (level.Count > 1)
        {
            var next = new List<Expression>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? join(level[i], level[i + 1]) : level[i]);
            level = next;
        }

        return level[0];
    }

    /// <summary>Values go in as closure members, not constants, so EF Core sends them as SQL parameters.</summary>
    private static Expression Parameter<TValue>(TValue value) =>
        Expression.Property(Expression.Constant(new Box<TValue>(value)), nameof(Box<TValue>.Value));

    private static Expression In<TValue>(Expression value, IReadOnlyList<TValue> candidates) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [value.Type], Parameter<IEnumerable<TValue>>(candidates), value);

    private static Expression Call(Expression value, MethodInfo method, object? operand, string operation) =>
        Expression.AndAlso(
            Expression.NotEqual(value, Expression.Constant(null, typeof(string))),
            Expression.Call(value, method, Parameter(Required<string>(operand, operation))));

    private static List<string?> Strings(object? operand, string operation) =>
        EntityFilter<object>.AsList(operand ?? throw NullOperand(operation)).Select(o => (string?)o).ToList();

    private static List<TValue> Values<TValue>(object? operand, string operation) =>
        EntityFilter<object>.AsList(operand ?? throw NullOperand(operation)).Select(o => (TValue)o!).ToList();

    private static TValue Required<TValue>(object? operand, string operation) =>
        operand is null ? throw NullOperand(operation) : (TValue)operand;

    private static ExecutionError NullOperand(string operation) =>
        new($"The filter operation '{operation}' needs a value, not null.") { Code = ErrorCodes.InvalidFilter };

    private static ExecutionError Unknown(string operation) =>
        new($"Unknown filter operation '{operation}'.") { Code = ErrorCodes.InvalidFilter };

    private sealed class Box<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}
