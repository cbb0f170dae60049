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

/// <summary>
/// Runs a planned root field. <paramref name="Again"/>, when the planner gives it, is the same field planned for a later
/// request of the same document by an anonymous reader, given only that request's variables (each sent as a string):
/// null when the planner's statement depends on anything else, or it declines those values.
/// </summary>
public sealed record PlannedField(Func<CancellationToken, Task<PlannedValue>> RunAsync, Func<IReadOnlyDictionary<string, string>, PlannedField?>? Again = null);

/// <summary>A planned root field's JSON as UTF-8 (null for a JSON null), and what it shows, for a response cache (null: unknown).</summary>
public sealed record PlannedValue(byte[]? Json, IReadOnlyCollection<string>? Dependencies)
{
    public static PlannedValue Of(string? json, IReadOnlyCollection<string>? dependencies) =>
        new(json is null ? null : System.Text.Encoding.UTF8.GetBytes(json), dependencies);
}

/// <summary>What a planner may ask of the operation: fields as GraphQL collects them (fragments, @skip/@include), and coerced arguments.</summary>
public sealed class SelectionPlanning(PlannedQueryExecutionStrategy strategy, ExecutionContext context)
{
    public ExecutionContext Context => context;

    /// <summary>The executor's kept parse of this document, where a planner keeps its plans of the document's fields; null when there is none.</summary>
    public ParsedDocument? Document => context.UserContext.TryGetValue(ParsedDocuments.Slot, out var document) ? document as ParsedDocument : null;

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

        if (context.UserContext.TryGetValue(RepeatPlan.Slot, out var slot) && slot is RepeatPlan.Recorder recorder && plan.All(p => p.Field is null || p.Field.Again is not null))
            recorder.Plan = new RepeatPlan(root.Name, [.. plan.Select(p => p.Key)], [.. plan.Select(p => p.Field?.Again)]);
        return await AnswerAsync(context.Document, context.Operation, root.Name, [.. plan.Select(p => p.Key)], [.. plan.Select(p => p.Field)], context.CancellationToken);
    }

    /// <summary>The planned fields run together (a null field is <c>__typename</c>), their JSON as the response's data.</summary>
    internal static async Task<ExecutionResult> AnswerAsync(GraphQLDocument document, GraphQLOperationDefinition operation, string rootName, string[] keys, PlannedField?[] fields, CancellationToken cancellationToken)
    {
        var values = await Task.WhenAll(fields.Select(f => f?.RunAsync(cancellationToken) ?? Task.FromResult(PlannedValue.Of($"\"{rootName}\"", []))));
        var dependencies = values.All(v => v.Dependencies is not null) ? values.SelectMany(v => v.Dependencies!).ToHashSet(StringComparer.Ordinal) : null;
        return new ExecutionResult
        {
            Executed = true,
            Document = document,
            Operation = operation,
            Data = new PlannedData(keys, [.. values.Select(v => v.Json)], dependencies),
        };
    }

    internal IReadOnlyDictionary<string, (GraphQLField Field, FieldType Definition)> Collect(ExecutionContext context, IGraphType type, GraphQLSelectionSet selection) =>
        CollectFieldsFrom(context, type, selection, null).ToDictionary(f => f.Key, f => (f.Value.field, f.Value.fieldType));
}

/// <summary>The data of a planned response: each root field's JSON written as the database returned it.</summary>
[JsonConverter(typeof(PlannedDataConverter))]
public sealed class PlannedData(string[] keys, byte[]?[] values, IReadOnlyCollection<string>? dependencies)
{
    public string[] Keys => keys;
    public byte[]?[] Values => values;

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

/// <summary>
/// A query an anonymous reader asked before, that planners answered entirely with statements they can run again for
/// other values of its variables: asked again, it is answered from those statements without GraphQL.NET, whose
/// validation and variable coercion cost more server time than the rest of such a request (measured on the article
/// page: over a third of the server's CPU). This is exact only where GraphQL.NET would find nothing new to say: the
/// document validated before, every variable is a string declared without a default and sent as a string PostgreSQL can
/// store (the only limit a string argument has), and nothing else depends on the values. Anything else, and any
/// failure, is left to GraphQL.NET, which answers as it always does.
/// </summary>
public sealed class RepeatPlan(string rootName, string[] keys, Func<IReadOnlyDictionary<string, string>, PlannedField?>?[] fields)
{
    /// <summary>What it holds beyond its fields' plans (which their document counts where its planners keep them).</summary>
    internal long Bytes => 96 + keys.Sum(k => 40 + (2L * k.Length)) + (fields.Length * 72);

    /// <summary>The key in an execution's user context under which the planned strategy leaves a plan to repeat.</summary>
    internal const string Slot = "t4k3news:repeatPlan";

    /// <summary>Where the strategy leaves the plan of the operation it answered.</summary>
    internal sealed class Recorder
    {
        public RepeatPlan? Plan { get; set; }
    }

    /// <summary>The variables, when every one of the operation's is a <c>String</c> without a default; null otherwise.</summary>
    internal static string[]? StringVariables(GraphQLOperationDefinition operation)
    {
        var names = new List<string>();
        foreach (var variable in operation.Variables?.Items ?? [])
        {
            var type = variable.Type is GraphQLNonNullType nonNull ? nonNull.Type : variable.Type;
            if (type is not GraphQLNamedType { Name.StringValue: "String" } || variable.DefaultValue is not null || variable.Directives is { Count: > 0 })
                return null;
            names.Add(variable.Variable.Name.StringValue);
        }

        return [.. names];
    }

    /// <summary>The answer for these variables, or null when GraphQL.NET must run the operation.</summary>
    internal async Task<ExecutionResult?> TryAnswerAsync(GraphQLDocument document, GraphQLOperationDefinition operation, JsonElement? variables, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (StringVariables(operation) is not { } names)
            return null;
        var values = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (variables is not { ValueKind: JsonValueKind.Object } sent || !sent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String
                || value.GetString() is not { } text || !Limits.InputShape.IsStorable(text))
                return null;
            values[name] = text;
        }

        var planned = new PlannedField?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is { } again && (planned[i] = again(values)) is null)
                return null;
        }

        using var limited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limited.CancelAfter(timeout);
        try
        {
            return await PlannedQueryExecutionStrategy.AnswerAsync(document, operation, rootName, keys, planned, limited.Token);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A timeout or a database failure: GraphQL.NET runs the operation and reports it exactly as it always does.
            return null;
        }
    }
}
