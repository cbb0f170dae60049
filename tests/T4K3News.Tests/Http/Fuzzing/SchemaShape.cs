using System.Text.Json.Nodes;

namespace T4K3News.Tests.Http.Fuzzing;

/// <summary>The live schema as the fuzzer needs it: its types, their fields and arguments, read once by introspection.</summary>
public sealed class SchemaShape
{
    public const string IntrospectionQuery = """
        {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types {
              kind name
              fields { name args { name type { ...Ref } } type { ...Ref } }
              inputFields { name type { ...Ref } }
              enumValues { name }
              possibleTypes { name }
            }
          }
        }
        fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
        """;

    private SchemaShape(IReadOnlyDictionary<string, GraphType> types, string query, string? mutation, string? subscription)
    {
        Types = types;
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Composites = types.Values.Where(t => t.Kind is "OBJECT" or "INTERFACE" or "UNION" && !t.Name.StartsWith("__", StringComparison.Ordinal)).ToList();
        InputTypes = types.Values.Where(t => t.Kind is "INPUT_OBJECT" or "SCALAR" or "ENUM" && !t.Name.StartsWith("__", StringComparison.Ordinal)).ToList();
        Names = types.Values.SelectMany(t => t.Fields.Select(f => f.Name).Concat(t.InputFields.Select(f => f.Name)).Append(t.Name)).Distinct().ToList();
    }

    public IReadOnlyDictionary<string, GraphType> Types { get; }
    public string Query { get; }
    public string? Mutation { get; }
    public string? Subscription { get; }

    /// <summary>Types a selection set can be written on (fragments' type conditions).</summary>
    public IReadOnlyList<GraphType> Composites { get; }

    /// <summary>Types a variable can be declared with.</summary>
    public IReadOnlyList<GraphType> InputTypes { get; }

    /// <summary>Every type, field and input field name: the vocabulary of plausible-looking nonsense.</summary>
    public IReadOnlyList<string> Names { get; }

    public static SchemaShape FromIntrospection(JsonNode data)
    {
        var schema = data["__schema"]!;
        var types = schema["types"]!.AsArray().Select(t => new GraphType(
            t!["kind"]!.GetValue<string>(),
            t["name"]!.GetValue<string>(),
            t["fields"]?.AsArray().Select(f => new Field(f!["name"]!.GetValue<string>(), InputValues(f["args"]), Ref(f["type"]!))).ToList() ?? [],
            InputValues(t["inputFields"]),
            t["enumValues"]?.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList() ?? [],
            t["possibleTypes"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [])).ToDictionary(t => t.Name);
        return new SchemaShape(types, schema["queryType"]!["name"]!.GetValue<string>(),
            schema["mutationType"]?["name"]?.GetValue<string>(), schema["subscriptionType"]?["name"]?.GetValue<string>());

        static IReadOnlyList<InputValue> InputValues(JsonNode? values) =>
            values?.AsArray().Select(v => new InputValue(v!["name"]!.GetValue<string>(), Ref(v["type"]!))).ToList() ?? [];

        static TypeRef Ref(JsonNode type) =>
            new(type["kind"]!.GetValue<string>(), type["name"]?.GetValue<string>(), type["ofType"] is { } of ? Ref(of) : null);
    }
}

public sealed record GraphType(string Kind, string Name, IReadOnlyList<Field> Fields, IReadOnlyList<InputValue> InputFields,
    IReadOnlyList<string> EnumValues, IReadOnlyList<string> PossibleTypes);

public sealed record Field(string Name, IReadOnlyList<InputValue> Args, TypeRef Type);

public sealed record InputValue(string Name, TypeRef Type);

public sealed record TypeRef(string Kind, string? Name, TypeRef? OfType)
{
    public string NamedType => Name ?? OfType!.NamedType;

    public override string ToString() => Kind switch
    {
        "NON_NULL" => $"{OfType}!",
        "LIST" => $"[{OfType}]",
        _ => Name!,
    };
}
