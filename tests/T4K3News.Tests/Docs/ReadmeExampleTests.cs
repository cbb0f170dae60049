using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Docs;

/// <summary>The seeded server on a real socket (Kestrel on loopback), as `dotnet run` serves it.</summary>
public sealed class SeededSocketApi : ContentApi
{
    public override bool ListensOnLoopback => true;

    // As in Development: the webhook example's host is saved without resolving it (no DNS in the test run).
    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" };
}

/// <summary>
/// Every fenced <c>graphql</c> block of README.md runs as written against the seeded server, in README order, each
/// operation of a block by its name, and answers what the text promises: no errors, no payload errors, no null root
/// field, no empty <c>nodes</c> or <c>corrections</c> list and no <c>totalCount</c> of 0.
/// <para>
/// The conventions the README's examples follow so that they run as written:
/// <list type="bullet">
/// <item>Variables: a fenced <c>json</c> block with at most three lines between it and a <c>graphql</c> block's
/// closing fence (blank lines and a line such as "Variables:") holds that block's variables; each operation of the
/// block gets those it declares.</item>
/// <item>Ids and versions from an earlier step: the README's values are a reader's placeholders ("your article's id").
/// The test keeps what earlier answers returned and puts it in their place: an object under a field <c>x</c>
/// (<c>article</c>, <c>author</c>, <c>tag</c>, <c>previewLink</c>, ...) with an <c>id</c> gives <c>$xId</c>, the
/// items of a list <c>xs { nodes }</c> give <c>$xId</c> (the last item), and an <c>article</c>'s <c>version</c> gives
/// <c>$version</c>.</item>
/// <item><c>$at</c> is a time in the future: the README's value is an example, the test sends tomorrow.</item>
/// <item>Tokens, as editors send them (<c>Authorization: Bearer</c>): an admin's for the admins' fields, an editor's
/// for any other mutation or editors' field, none otherwise (a reader).</item>
/// </list>
/// </para>
/// </summary>
public sealed class ReadmeExampleTests(SeededSocketApi api) : IClassFixture<SeededSocketApi>
{
    private static readonly HashSet<string> AdminFields =
    [
        "createWebhook", "updateWebhook", "deleteWebhook", "rotateWebhookSecret", "redeliverWebhook", "webhooks",
        "webhookDeliveries", "deleteArticle", "apiTokens", "createApiToken", "revokeApiToken", "auditLog",
    ];

    private static readonly HashSet<string> EditorFields = ["revisions", "previewLinks", "articleChanged"];

    [Fact]
    public void The_first_example_runs_when_pasted_so_it_has_one_operation()
    {
        var first = ReadmeBlocks().First();

        Assert.Single(Operations(first));
    }

    [Fact]
    public async Task Every_GraphQL_example_in_the_README_answers_what_its_text_promises()
    {
        var blocks = ReadmeBlocks();
        Assert.True(blocks.Count >= 10, $"Only {blocks.Count} graphql blocks found in README.md");
        var editor = api.CreateGraphQLClient(await api.CreateTokenAsync(TokenRole.Editor));
        var admin = api.CreateGraphQLClient(await api.CreateTokenAsync(TokenRole.Admin));
        var reader = api.CreateGraphQLClient();
        var known = new Dictionary<string, JsonNode?>();

        foreach (var block in blocks)
        {
            foreach (var operation in Operations(block))
            {
                var name = operation.Name?.StringValue;
                var where = $"{block.Name}, operation {name ?? "(anonymous)"}";
                var fields = FieldNames(operation.SelectionSet).ToHashSet();
                var client = fields.Overlaps(AdminFields) ? admin
                    : operation.Operation == OperationType.Mutation || fields.Overlaps(EditorFields) ? editor
                    : reader;
                var variables = Variables(operation, block.Variables, known);

                var response = await client.PostAsync(block.Text, variables, name);

                Assert.True(response.Errors is null && response.Status == 200,
                    $"{where} gave HTTP {response.Status} with errors {response.Errors?.ToJsonString()}");
                var data = response.Data!.AsObject();
                foreach (var (field, value) in data)
                    CheckAnswer(value, field, where, field, root: true);
                Learn(data, null, known);
            }
        }
    }

    private static void CheckAnswer(JsonNode? value, string field, string where, string path, bool root = false)
    {
        switch (value)
        {
            case null when root:
                Assert.Fail($"{where}: the root field {path} is null");
                break;
            case JsonArray errors when field == "errors":
                Assert.True(errors.Count == 0, $"{where}: {path} has errors {errors.ToJsonString()}");
                break;
            case JsonArray { Count: 0 } when field is "nodes" or "corrections":
                Assert.Fail($"{where}: {path} is empty, where the text promises something");
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                    CheckAnswer(list[i], field, where, $"{path}[{i}]");
                break;
            case JsonObject obj:
                foreach (var (key, child) in obj)
                    CheckAnswer(child, key, where, $"{path}.{key}");
                break;
            case JsonValue count when field == "totalCount" && count.GetValue<int>() == 0:
                Assert.Fail($"{where}: {path} is 0, where the text promises something");
                break;
        }
    }

    /// <summary>Remembers ids and versions of what an answer returned, for the next examples' variables.</summary>
    private static void Learn(JsonNode? node, string? field, Dictionary<string, JsonNode?> known)
    {
        switch (node)
        {
            case JsonObject obj:
                if (field is not null && obj["id"] is { } id)
                    known[field + "Id"] = id.DeepClone();
                if (field == "article" && obj["version"] is { } version)
                    known["version"] = version.DeepClone();
                foreach (var (key, child) in obj)
                    Learn(child, key is "nodes" or "edges" or "node" ? Singular(field) : key, known);
                break;
            case JsonArray list:
                foreach (var item in list)
                    Learn(item, Singular(field), known);
                break;
        }
    }

    private static string? Singular(string? field) =>
        field is not null && field.EndsWith('s') ? field[..^1] : field;

    private static Dictionary<string, object?> Variables(
        GraphQLOperationDefinition operation, JsonObject? given, Dictionary<string, JsonNode?> known)
    {
        var variables = new Dictionary<string, object?>();
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var name = definition.Variable.Name.StringValue;
            if (name == "at")
                variables[name] = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
            else if (known.TryGetValue(name, out var learned))
                variables[name] = learned?.DeepClone();
            else if (given is not null && given.TryGetPropertyValue(name, out var value))
                variables[name] = value?.DeepClone();
        }

        return variables;
    }

    private static IEnumerable<string> FieldNames(GraphQLSelectionSet? selections)
    {
        foreach (var selection in selections?.Selections ?? [])
        {
            if (selection is GraphQLField field)
            {
                yield return field.Name.StringValue;
                foreach (var name in FieldNames(field.SelectionSet))
                    yield return name;
            }
            else if (selection is GraphQLInlineFragment fragment)
            {
                foreach (var name in FieldNames(fragment.SelectionSet))
                    yield return name;
            }
        }
    }

    private static List<GraphQLOperationDefinition> Operations(ReadmeBlock block)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(block.Text);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException error)
        {
            throw new Xunit.Sdk.XunitException($"{block.Name} is not a GraphQL document: {error.Message}");
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        Assert.True(operations.Count == 1 || operations.All(operation => operation.Name is not null),
            $"{block.Name}: a block of several operations names each one");
        return operations;
    }

    private sealed record ReadmeBlock(int Line, string FirstLine, string Text, JsonObject? Variables)
    {
        public string Name => $"README.md line {Line}, block `{FirstLine.Trim()}`";
    }

    private static List<ReadmeBlock> ReadmeBlocks()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var blocks = new List<ReadmeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```graphql")
                continue;
            var start = i + 1;
            var end = FenceEnd(lines, start);
            var text = string.Join('\n', lines[start..end]);
            JsonObject? variables = null;
            for (var j = end + 1; j < lines.Length && j <= end + 4; j++)
            {
                if (lines[j].Trim() == "```json")
                {
                    var json = string.Join('\n', lines[(j + 1)..FenceEnd(lines, j + 1)]);
                    try
                    {
                        variables = JsonNode.Parse(json)!.AsObject();
                    }
                    catch (JsonException error)
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"README.md line {j + 2}: the variables are not JSON: {error.Message}");
                    }

                    break;
                }
            }

            blocks.Add(new ReadmeBlock(start + 1, lines[start], text, variables));
            i = end;
        }

        return blocks;
    }

    private static int FenceEnd(string[] lines, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "```")
                return i;
        }

        throw new InvalidOperationException($"README.md: the block opened at line {from} is never closed");
    }
}
