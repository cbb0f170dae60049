using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Plans one root field of a query into a single database statement that returns the field's JSON exactly as
/// GraphQL.NET would write it. A planner answers only what it can answer exactly: anything else (a field it does not
/// know, an argument GraphQL.NET would refuse) makes it decline, and GraphQL.NET then resolves the whole operation.
/// </summary>
public interface IRootFieldPlanner
{
    /// <summary>The field's statement, or null to decline.</summary>
    PlannedField? Plan(SelectionPlanning planning, GraphQLField field, FieldType definition);
}

/// <summary>Runs a planned root field.</summary>
public sealed record PlannedField(Func<CancellationToken, Task<PlannedValue>> RunAsync);

/// <summary>A planned root field's JSON text (null for a JSON null), and what it shows, for a response cache (null: unknown).</summary>
public sealed record PlannedValue(string? Json, IReadOnlyCollection<string>? Dependencies);

/// <summary>What a planner may ask of the operation: fields as GraphQL collects them (fragments, @skip/@include), and coerced arguments.</summary>
public sealed class SelectionPlanning(PlannedQueryExecutionStrategy strategy, ExecutionContext context)
{
    public ExecutionContext Context => context;

    /// <summary>The fields selected on <paramref name="type"/>, by response key, merged as the GraphQL spec's CollectFields does.</summary>
    public IReadOnlyDictionary<string, (GraphQLField Field, FieldType Definition)> Collect(IGraphType type, GraphQLSelectionSet? selection) =>
        selection is null ? new Dictionary<string, (GraphQLField, FieldType)>() : strategy.Collect(context, type, selection);

    /// <summary>An argument's coerced value (variables applied), or its default.</summary>
    public object? Argument(GraphQLField field, FieldType definition, string name) =>
        context.ArgumentValues?.TryGetValue(field, out var arguments) == true && arguments.TryGetValue(name, out var value)
            ? value.Value
            : definition.Arguments?.Find(name)?.DefaultValue;

    /// <summary>Whether the field carries directives other than @skip/@include, which only GraphQL.NET can apply.</summary>
    public static bool HasOtherDirectives(GraphQLField field) =>
        field.Directives?.Any(d => d.Name.StringValue is not ("skip" or "include")) == true;
}

/// <summary>
/// Answers a query from planned statements when every root field has a planner that accepts it: one statement per
/// root field, whose JSON goes into the response as it came from the database. Otherwise GraphQL.NET's own parallel
/// strategy runs the operation.
/// </summary>
public sealed class PlannedQueryExecutionStrategy(IEnumerable<IRootFieldPlanner> planners, IOptions<GraphQLServerOptions> options) : ParallelExecutionStrategy
{
    private readonly IRootFieldPlanner[] planners = [.. planners];

    public override async Task<ExecutionResult> ExecuteAsync(ExecutionContext context)
    {
        if (planners.Length == 0 || !options.Value.PlannedReads || context.Operation.Operation != OperationType.Query)
            return await base.ExecuteAsync(context);

        var root = GetOperationRootType(context);
        var planning = new SelectionPlanning(this, context);
        var plan = new List<(string Key, PlannedField? Field)>();
        foreach (var (key, (field, definition)) in Collect(context, root, context.Operation.SelectionSet))
        {
            if (definition.Name == "__typename")
            {
                plan.Add((key, null));
                continue;
            }

            var planned = SelectionPlanning.HasOtherDirectives(field) ? null : planners.Select(p => p.Plan(planning, field, definition)).FirstOrDefault(p => p is not null);
            if (planned is null)
                return await base.ExecuteAsync(context);
            plan.Add((key, planned));
        }

        var values = await Task.WhenAll(plan.Select(p => p.Field?.RunAsync(context.CancellationToken) ?? Task.FromResult(new PlannedValue($"\"{root.Name}\"", []))));
        var dependencies = values.All(v => v.Dependencies is not null) ? values.SelectMany(v => v.Dependencies!).ToHashSet(StringComparer.Ordinal) : null;
        return new ExecutionResult
        {
            Executed = true,
            Document = context.Document,
            Operation = context.Operation,
            Data = new PlannedData(plan.Select(p => p.Key).ToArray(), values.Select(v => v.Json).ToArray(), dependencies),
        };
    }

    internal IReadOnlyDictionary<string, (GraphQLField Field, FieldType Definition)> Collect(ExecutionContext context, IGraphType type, GraphQLSelectionSet selection) =>
        CollectFieldsFrom(context, type, selection, null).ToDictionary(f => f.Key, f => (f.Value.field, f.Value.fieldType));
}

/// <summary>The data of a planned response: each root field's JSON written as the database returned it.</summary>
[JsonConverter(typeof(PlannedDataConverter))]
public sealed class PlannedData(string[] keys, string?[] values, IReadOnlyCollection<string>? dependencies)
{
    public string[] Keys => keys;
    public string?[] Values => values;

    /// <summary>What the answer shows, as its planners named it; null when one of them could not say.</summary>
    public IReadOnlyCollection<string>? Dependencies => dependencies;
}

internal sealed class PlannedDataConverter : JsonConverter<PlannedData>
{
    public override PlannedData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Planned data is only written.");

    public override void Write(Utf8JsonWriter writer, PlannedData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Keys.Length; i++)
        {
            writer.WritePropertyName(value.Keys[i]);
            if (value.Values[i] is { } json)
                writer.WriteRawValue(json, skipInputValidation: true);
            else
                writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }
}
