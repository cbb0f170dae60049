using System.Collections;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using T4K3News.GraphQLServer.Filtering;

namespace T4K3News.GraphQLServer.Limits;

/// <summary>
/// Bounds every value a client passes as an argument, written in the document or sent as a variable, before anything
/// runs and before variables are even coerced: how many items a list holds and how deeply input objects nest. Filters
/// and sorts are refused with INVALID_FILTER, <c>nodes(ids:)</c> with TOO_MANY_IDS, anything else with INPUT_TOO_LARGE,
/// so no resolver, expression tree or SQL statement ever sees an unbounded input.
/// </summary>
public sealed class InputLimitsRule(IOptions<GraphQLServerOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((field, validation) => Check(field, validation, options.Value)));

    private static void Check(GraphQLField field, ValidationContext context, GraphQLServerOptions limits)
    {
        if (field.Arguments is null || context.TypeInfo.GetFieldDef() is not { Arguments: { } definitions })
            return;

        foreach (var argument in field.Arguments)
        {
            if (definitions.Find(argument.Name.StringValue) is not { } definition)
                continue;
            var shape = InputShape.Measure(argument.Value, limits.MaxInputDepth, name => Variable(context, name));
            // PostgreSQL can neither store nor compare such text, so no argument may carry it, read or write.
            var refusal = shape.HasInvalidText
                ? (ErrorCodes.InvalidText, "holds text that is not valid Unicode for storage: a NUL character (U+0000) or half of a surrogate pair.")
                : Refusal(InputKinds.Of(definition), shape, limits);
            if (refusal is not null)
            {
                var subject = $"'{argument.Name.StringValue}' of '{field.Name.StringValue}'";
                context.ReportError(new DocumentLimitError(context.Document, refusal.Value.Code, $"{subject} {refusal.Value.Reason}"));
                return;
            }
        }
    }

    /// <summary>A variable's value as sent, else its default as written in the operation (which is measured the same).</summary>
    private static object? Variable(ValidationContext context, string name)
    {
        if (context.Variables?.TryGetValue(name, out var value) == true)
            return value;
        return context.Operation?.Variables?.Items.FirstOrDefault(v => v.Variable.Name.StringValue == name)?.DefaultValue;
    }

    /// <summary>Why an argument of this kind and shape is refused, or null when it is within its limits.</summary>
    public static (string Code, string Reason)? Refusal(InputKind kind, InputShape shape, GraphQLServerOptions limits)
    {
        if (kind == InputKind.NodeIds)
            return shape.LongestList > limits.MaxNodeIds ? (ErrorCodes.TooManyIds, $"holds {shape.LongestList} ids; at most {limits.MaxNodeIds} are allowed.") : null;

        var (maxItems, code) = kind switch
        {
            InputKind.Filter => (limits.MaxInputListItems, ErrorCodes.InvalidFilter),
            InputKind.Sort => (limits.MaxSortFields, ErrorCodes.InvalidFilter),
            _ => (limits.MaxInputListItems, ErrorCodes.InputTooLarge),
        };
        if (shape.Depth > limits.MaxInputDepth)
            return (code, $"nests input objects more than {limits.MaxInputDepth} levels deep.");
        if (shape.LongestList > maxItems)
            return (code, $"has a list of {shape.LongestList} items; at most {maxItems} are allowed.");
        return null;
    }
}

/// <summary>What an argument is, for its limits and its cost.</summary>
public enum InputKind
{
    Other,
    Filter,
    Sort,
    NodeIds,
}

public static class InputKinds
{
    private const string MetadataKey = "t4k3news:inputKind";

    /// <summary>Marks an argument whose list sizes are limited and costed as <paramref name="kind"/>.</summary>
    public static QueryArgument WithKind(this QueryArgument argument, InputKind kind)
    {
        argument.Metadata[MetadataKey] = kind;
        return argument;
    }

    public static InputKind Of(QueryArgument argument) =>
        (argument.Metadata.TryGetValue(MetadataKey, out var marked) ? (InputKind)marked! : (InputKind?)null) ?? Unwrap(argument.ResolvedType) switch
        {
            IFilterInputType => InputKind.Filter,
            ISortInputType => InputKind.Sort,
            _ => InputKind.Other,
        };

    private static IGraphType? Unwrap(IGraphType? type)
    {
        while (type is NonNullGraphType or ListGraphType)
            type = type is NonNullGraphType nonNull ? nonNull.ResolvedType : ((ListGraphType)type).ResolvedType;
        return type;
    }
}

/// <summary>The size of an input value: nesting depth of objects, the longest list, and how many values it holds.</summary>
public readonly record struct InputShape(int Depth, int LongestList, int Values, bool HasInvalidText = false)
{
    /// <summary>
    /// Measures a value as written in a document (variables resolved through <paramref name="variable"/>), as sent in
    /// JSON, or as coerced. It does not recurse and stops descending past <paramref name="maxDepth"/>, so any input is
    /// safe to measure.
    /// </summary>
    public static InputShape Measure(object? value, int maxDepth = int.MaxValue, Func<string, object?>? variable = null)
    {
        var (depth, longest, values, invalidText) = (0, 0, 0, false);
        var pending = new Stack<(object? Value, int Depth)>();
        pending.Push((value, 0));
        while (pending.Count > 0)
        {
            var (current, level) = pending.Pop();
            if (current is GraphQLVariable reference)
                current = variable?.Invoke(reference.Name.StringValue);
            invalidText |= current switch
            {
                string text => !IsStorable(text),
                GraphQLStringValue literal => !IsStorable(literal.Value.Span),
                _ => false,
            };

            IEnumerable? fields = current switch
            {
                GraphQLObjectValue literal => literal.Fields?.Select(f => (object?)f.Value),
                IDictionary<string, object?> dictionary => dictionary.Values,
                _ => null,
            };
            if (fields is not null)
            {
                depth = Math.Max(depth, level + 1);
                if (level + 1 > maxDepth)
                    continue;
                foreach (var field in fields)
                {
                    values++;
                    pending.Push((field, level + 1));
                }

                continue;
            }

            IEnumerable? items = current switch
            {
                GraphQLListValue literal => literal.Values ?? [],
                IEnumerable list and not string and not GraphQLValue => list,
                _ => null,
            };
            if (items is null)
                continue;
            var count = 0;
            foreach (var item in items)
            {
                count++;
                values++;
                pending.Push((item, level));
            }

            longest = Math.Max(longest, count);
        }

        return new InputShape(depth, longest, values, invalidText);
    }

    /// <summary>Text PostgreSQL can hold: no NUL character, and every surrogate in a pair.</summary>
    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return false;
        }

        return true;
    }
}
