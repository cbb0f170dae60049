using GraphQL.Types;
using GraphQL.Validation.Complexity;

namespace T4K3News.GraphQLServer.Limits;

/// <summary>
/// What a field costs, in GraphQL.NET's complexity analysis: every field counts 1, each value of a filter or sort
/// argument counts <see cref="FilterValueCost"/>, and a list multiplies what is selected inside it by the number of items
/// it will really hold: the ids of <c>nodes(ids:)</c>, the <c>first</c>/<c>last</c> of a connection (else its default
/// page size), and <see cref="AssumedChildListSize"/> for an article's child lists. Introspection costs nothing: its
/// size is bounded by the schema, and depth, alias and field limits still apply to it.
/// </summary>
public static class CostModel
{
    public const double AssumedChildListSize = 20;

    /// <summary>
    /// Field metadata (a double): what one selection of the field costs instead of 1, for a field whose value is a
    /// query of its own for every parent item (a ranking), which batching makes one statement but not cheap.
    /// </summary>
    public const string FieldCost = "t4k3news:cost";
    public const double FilterValueCost = 10;

    public static void Configure(ComplexityOptions complexity, GraphQLServerOptions limits)
    {
        complexity.MaxDepth = limits.MaxDepth;
        complexity.MaxComplexity = limits.MaxComplexity;
        complexity.DefaultListImpactMultiplier = AssumedChildListSize;
        complexity.DefaultComplexityImpactDelegate = field => Impact(field, limits);
        complexity.ValidateComplexityDelegate = context =>
        {
            Telemetry.GraphQLTelemetry.RecordCost(context.TotalImpact);
            return Task.CompletedTask;
        };
    }

    private static FieldComplexityResult Impact(FieldImpactContext field, GraphQLServerOptions limits)
    {
        if (field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal))
            return new FieldComplexityResult(0, 1);

        var impact = field.FieldDefinition.GetMetadata(FieldCost, 1.0);
        var multiplier = 1.0;
        foreach (var (name, value) in field.Arguments ?? new Dictionary<string, GraphQL.Execution.ArgumentValue>())
        {
            if (value.Value is null || field.FieldDefinition.Arguments?.Find(name) is not { } argument)
                continue;
            var kind = InputKinds.Of(argument);
            var shape = InputShape.Measure(value.Value, limits.MaxInputDepth);
            // An input over its limits is refused by InputLimitsRule; it costs nothing here, so the client hears why.
            if (InputLimitsRule.Refusal(kind, shape, limits) is not null)
                continue;
            if (kind is InputKind.Filter or InputKind.Sort)
                impact += FilterValueCost * shape.Values;
            else if (kind == InputKind.NodeIds)
                multiplier = shape.LongestList;
        }

        if (!IsList(field.FieldDefinition) || multiplier != 1.0)
            return new FieldComplexityResult(impact, multiplier);
        return new FieldComplexityResult(impact, PageSize(field) ?? (field.Parent is { } parent && !IsList(parent.FieldDefinition) ? PageSize(parent) : null) ?? AssumedChildListSize);
    }

    /// <summary>The page a connection field (or its nodes and edges) holds: first or last, else the default page size.</summary>
    private static double? PageSize(FieldImpactContext field)
    {
        if (field.FieldDefinition.Arguments?.Find("first") is null)
            return null;
        return Int(field, "first") ?? Int(field, "last") ?? Paging.DefaultPageSize;
    }

    private static int? Int(FieldImpactContext field, string name) =>
        field.Arguments?.TryGetValue(name, out var value) == true && value.Value is int number ? number : null;

    private static bool IsList(FieldType field) =>
        (field.ResolvedType is NonNullGraphType nonNull ? nonNull.ResolvedType : field.ResolvedType) is ListGraphType;
}
