using System.Linq.Expressions;
using GraphQL;
using GraphQL.Types;

namespace T4K3News.GraphQLServer.Filtering;

public enum SortDirection
{
    Asc,
    Desc,
}

public sealed class SortEnumType : EnumerationGraphType
{
    public SortEnumType()
    {
        Name = "SortEnumType";
        Add("ASC", SortDirection.Asc);
        Add("DESC", SortDirection.Desc);
    }
}

/// <summary>The sortable fields of one entity, for the <c>order</c> input type and for ordering a query.</summary>
public sealed class EntitySort<T>
{
    private readonly Dictionary<string, LambdaExpression> fields = [];

    public IEnumerable<string> Fields => fields.Keys;

    /// <summary>A sortable field's selector, for translators other than EF Core (a planned SQL read).</summary>
    public LambdaExpression? Selector(string name) => fields.GetValueOrDefault(name);

    public EntitySort<T> By<TKey>(string name, Expression<Func<T, TKey>> selector)
    {
        fields[name] = selector;
        return this;
    }

    /// <summary>Orders by the client's fields in turn, then by <paramref name="tieBreaker"/> so that pages never overlap.</summary>
    public IOrderedQueryable<T> Apply<TKey>(IQueryable<T> query, IEnumerable<object?>? order, Expression<Func<T, TKey>> tieBreaker, SortDirection tieBreakerDirection)
    {
        var sorted = false;
        foreach (var clause in order ?? [])
        {
            foreach (var (name, value) in EntityFilter<T>.AsObject(clause))
            {
                if (value is not SortDirection direction)
                    continue;
                var selector = fields.GetValueOrDefault(name)
                    ?? throw new ExecutionError($"'{name}' cannot be sorted on.") { Code = ErrorCodes.InvalidFilter };
                query = OrderBy(query, selector, direction, sorted);
                sorted = true;
            }
        }

        return (IOrderedQueryable<T>)OrderBy(query, tieBreaker, tieBreakerDirection, sorted);
    }

    private static IQueryable<T> OrderBy(IQueryable<T> query, LambdaExpression selector, SortDirection direction, bool thenBy)
    {
        var method = (thenBy, direction) switch
        {
            (false, SortDirection.Asc) => nameof(Queryable.OrderBy),
            (false, SortDirection.Desc) => nameof(Queryable.OrderByDescending),
            (true, SortDirection.Asc) => nameof(Queryable.ThenBy),
            (true, SortDirection.Desc) => nameof(Queryable.ThenByDescending),
            _ => throw new ArgumentOutOfRangeException(nameof(direction)),
        };
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType], query.Expression, Expression.Quote(selector));
        return query.Provider.CreateQuery<T>(call);
    }
}

/// <summary>Marks the <c>order</c> inputs, whose size is limited and costed as a sort.</summary>
public interface ISortInputType;

public abstract class SortInputType<T> : InputObjectGraphType, ISortInputType
{
    protected SortInputType(string name, EntitySort<T> sort)
    {
        Name = name;
        foreach (var field in sort.Fields)
            Field<SortEnumType>(field);
    }
}

/// <summary>Marks the <c>where</c> inputs, whose size is limited and costed as a filter.</summary>
public interface IFilterInputType;

public abstract class FilterInputType<T> : InputObjectGraphType, IFilterInputType
{
    protected FilterInputType(string name, EntityFilter<T> filter, Type selfType)
    {
        Name = name;
        var listOfSelf = typeof(ListGraphType<>).MakeGenericType(typeof(NonNullGraphType<>).MakeGenericType(selfType));
        Field("and", listOfSelf);
        Field("or", listOfSelf);
        foreach (var (field, graphType) in filter.Fields)
            Field(field, graphType);
    }
}
