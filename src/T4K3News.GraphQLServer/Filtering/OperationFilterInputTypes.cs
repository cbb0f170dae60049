using GraphQL.Types;

namespace T4K3News.GraphQLServer.Filtering;

public sealed class StringOperationFilterInputType : InputObjectGraphType
{
    public StringOperationFilterInputType()
    {
        Name = "StringOperationFilterInput";
        Field<ListGraphType<NonNullGraphType<StringOperationFilterInputType>>>("and");
        Field<ListGraphType<NonNullGraphType<StringOperationFilterInputType>>>("or");
        Field<StringGraphType>("eq");
        Field<StringGraphType>("neq");
        Field<StringGraphType>("contains");
        Field<StringGraphType>("ncontains");
        Field<ListGraphType<StringGraphType>>("in");
        Field<ListGraphType<StringGraphType>>("nin");
        Field<StringGraphType>("startsWith");
        Field<StringGraphType>("nstartsWith");
        Field<StringGraphType>("endsWith");
        Field<StringGraphType>("nendsWith");
    }
}

public abstract class ComparableOperationFilterInputType<TScalar> : InputObjectGraphType
    where TScalar : ScalarGraphType
{
    protected ComparableOperationFilterInputType(string name)
    {
        Name = name;
        Field<TScalar>("eq");
        Field<TScalar>("neq");
        Field<ListGraphType<TScalar>>("in");
        Field<ListGraphType<TScalar>>("nin");
        foreach (var operation in new[] { "gt", "ngt", "gte", "ngte", "lt", "nlt", "lte", "nlte" })
            Field<TScalar>(operation);
    }
}

public sealed class DateTimeOperationFilterInputType() : ComparableOperationFilterInputType<DateTimeGraphType>("DateTimeOperationFilterInput");

public sealed class IntOperationFilterInputType() : ComparableOperationFilterInputType<IntGraphType>("IntOperationFilterInput");

public abstract class EnumOperationFilterInputType<TEnumType> : InputObjectGraphType
    where TEnumType : IGraphType
{
    protected EnumOperationFilterInputType(string name)
    {
        Name = name;
        Field<TEnumType>("eq");
        Field<TEnumType>("neq");
        Field<ListGraphType<NonNullGraphType<TEnumType>>>("in");
        Field<ListGraphType<NonNullGraphType<TEnumType>>>("nin");
    }
}

public abstract class ListFilterInputType<TItemFilterType> : InputObjectGraphType
    where TItemFilterType : IInputObjectGraphType
{
    protected ListFilterInputType(string itemFilterName)
    {
        Name = $"ListFilterInputTypeOf{itemFilterName}";
        Field<TItemFilterType>("all");
        Field<TItemFilterType>("none");
        Field<TItemFilterType>("some");
        Field<BooleanGraphType>("any");
    }
}
