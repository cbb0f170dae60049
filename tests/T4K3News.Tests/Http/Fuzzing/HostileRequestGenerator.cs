using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace T4K3News.Tests.Http.Fuzzing;

/// <summary>One request as sent: what kind of hostility it carries, and its exact bytes.</summary>
public sealed record HostileRequest(string Kind, string Method, string PathAndQuery, byte[]? Body, string? ContentType, string? Accept, string? Authorization)
{
    /// <summary>What the kind cannot say: how many items, how deep.</summary>
    public string? Note { get; init; }

    /// <summary>The request as a reader can replay it: invalid UTF-8 shown as \xNN, cut to <paramref name="maxChars"/>.</summary>
    public string Describe(int maxChars)
    {
        var text = new StringBuilder(Note is null ? "" : $"({Note})\n").Append($"{Method} {PathAndQuery}");
        if (ContentType is not null) text.Append($"\nContent-Type: {ContentType}");
        if (Accept is not null) text.Append($"\nAccept: {Accept}");
        if (Authorization is not null) text.Append($"\nAuthorization: {Cut(Authorization, 80)}");
        if (Body is not null) text.Append($"\n({Body.Length:N0} bytes) ").Append(Printable(Body, maxChars));
        return Cut(text.ToString(), maxChars + 400);
    }

    private static string Printable(byte[] body, int maxChars)
    {
        var text = new StringBuilder();
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var i = 0; i < body.Length && text.Length < maxChars;)
        {
            var length = body[i] < 0x80 ? 1 : body[i] >= 0xF0 ? 4 : body[i] >= 0xE0 ? 3 : 2;
            try
            {
                if (i + length > body.Length) throw new DecoderFallbackException();
                var decoded = decoder.GetString(body, i, length);
                text.Append(decoded.Any(c => char.IsControl(c) && c != '\n') ? $"\\x{body[i]:X2}" : decoded);
                i += decoded.Any(c => char.IsControl(c) && c != '\n') ? 1 : length;
            }
            catch (ArgumentException)
            {
                text.Append($"\\x{body[i]:X2}");
                i++;
            }
        }

        return text.Length >= maxChars ? $"{text} …(cut)" : text.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + " …(cut)";
}

/// <summary>
/// Makes hostile requests from a seeded <see cref="Random"/>: the same seed gives the same requests in the same order.
/// Documents are built from the live schema's types, fields and arguments, so most of them get past the parser and
/// validation into the resolvers, filters, paging and loaders; the rest aim at the layers before them. With
/// <see cref="UnpublishedCanaries"/>, searches, slugs, ids and filters also carry (misspelt) words only unpublished
/// articles have.
/// </summary>
public sealed class HostileRequestGenerator(SchemaShape schema, string adminToken, int maxBodyBytes, UnpublishedCanaries? canaries = null)
{
    private SchemaShape Schema => schema;
    private int MaxBodyBytes => maxBodyBytes;
    private UnpublishedCanaries? Canaries => canaries;

    private static readonly (string Kind, int Weight)[] Kinds =
    [
        ("document", 26), ("mutated document", 14), ("variables", 12), ("bytes", 12),
        ("long list", 11), ("deep nesting", 10), ("cursor or id", 9), ("http", 6),
    ];

    private static readonly (string Kind, int Weight)[] KindsWithCanaries = [.. Kinds, ("unpublished words", 12)];

    private static readonly string[] Slugs =
    [
        "zelenskyy-calls-for-new-round-of-peace-talks-with-russia", "baltic-ferry-crews-strike-over-new-rota-rules",
        "kyiv-begins-winter-power-grid-upgrade", "ukraine", "energy", "",
    ];

    private static readonly string[] InvalidUtf8 =
    [
        "80", "BF", "C0 80", "C1 BF", "E0 80 80", "ED A0 80", "ED BF BF", "ED A0 80 ED B0 80", "F4 90 80 80", "F5 80 80 80",
        "F8 88 80 80 80", "FE", "FF", "C3", "E2 82", "F0 9F 98", "00",
    ];

    private static readonly string[] LoneSurrogateEscapes = [@"\ud800", @"\udfff", @"\udc00\ud800", @"\ud800\u0041", @"\uDBFF", @"\ud800\ud800"];

    public HostileRequest Next(Random random)
    {
        var draw = new Draw(random, this);
        var kind = draw.Weighted(canaries is null ? Kinds : KindsWithCanaries);
        var request = kind switch
        {
            "document" => draw.Document(),
            "mutated document" => draw.MutatedDocument(),
            "variables" => draw.Variables(),
            "bytes" => draw.Bytes(),
            "long list" => draw.LongList(),
            "deep nesting" => draw.DeepNesting(),
            "cursor or id" => draw.CursorOrId(),
            "unpublished words" => draw.UnpublishedWords(canaries!),
            _ => draw.Http(),
        };
        var authorization = random.Next(100) switch
        {
            // Mostly readers: theirs are the answers that must not hold the words.
            _ when kind == "unpublished words" => random.Next(10) == 0 ? $"Bearer {adminToken}" : null,
            < 25 => $"Bearer {adminToken}",
            < 28 => draw.Pick(["Bearer", $"Bearer t4k_{random.Next()}", "Basic Zm9vOmJhcg==", "Bearer " + new string('A', 8_000), "bearer " + adminToken.ToUpperInvariant()]),
            _ => null,
        };
        return request with { Kind = request.Kind.Length == 0 ? kind : $"{kind}: {request.Kind}", Authorization = authorization };
    }

    /// <summary>One request's drawing: the random source and the variables and fragments its document declares.</summary>
    private sealed class Draw(Random r, HostileRequestGenerator g)
    {
        private readonly SchemaShape schema = g.Schema;
        private readonly List<(string Name, TypeRef Type)> variables = [];
        private readonly List<string> fragments = [];
        private int budget = 300; // selections and values, so a document stays near the length limit instead of far over it
        private int aliases;

        /// <summary>
        /// Half the documents are well-typed (every field, argument, variable and value as the schema says), so that they get
        /// past validation into the resolvers, filters, paging and loaders; the other half mix in nonsense at every step.
        /// </summary>
        private readonly bool wellTyped = r.Next(2) == 0;

        public T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];

        public string Weighted((string Kind, int Weight)[] kinds)
        {
            var roll = r.Next(kinds.Sum(k => k.Weight));
            foreach (var (kind, weight) in kinds)
            {
                if ((roll -= weight) < 0)
                    return kind;
            }

            throw new InvalidOperationException();
        }

        // ---------- kinds ----------

        public HostileRequest Document()
        {
            var document = Operation();
            var body = new JsonObject { ["query"] = document };
            if (variables.Count > 0 || r.Next(10) == 0) body["variables"] = VariableValues();
            if (!wellTyped && r.Next(8) == 0) body["operationName"] = Pick(["Op0", "Op1", "", "Nope"]);
            return r.Next(10) == 0 && !document.StartsWith("mutation", StringComparison.Ordinal)
                ? Get(body)
                : Post(body.ToJsonString());
        }

        public HostileRequest MutatedDocument()
        {
            var document = new StringBuilder(Operation());
            for (var edits = r.Next(1, 6); edits > 0 && document.Length > 0; edits--)
            {
                var at = r.Next(document.Length);
                switch (r.Next(6))
                {
                    case 0: document.Remove(at, Math.Min(r.Next(1, 12), document.Length - at)); break;
                    case 1: document.Insert(at, Pick(["{", "}", "(", ")", "[", "]", ":", "$", "...", "@", "\"", "\"\"\"", "\\", "#", "\n", "!", "=", "|", "&", ",", "query", "fragment", "on", "null", "true", "-", "0x1", "1e", "\u0000", "\uFEFF", "😀", "\ud800"])); break;
                    case 2: document.Insert(at, document.ToString(at, Math.Min(r.Next(1, 60), document.Length - at))); break;
                    case 3: document[at] = (char)r.Next(0x20, 0x7F); break;
                    case 4: document.Insert(at, Pick(schema.Names) + " "); break;
                    default: document.Append(new string(Pick(['{', '}', '[', '(']), r.Next(1, 40))); break;
                }
            }

            // Edits can split a surrogate pair; the JSON writer cannot write a lone surrogate, so its escape is put in afterwards.
            var lone = new List<char>();
            var text = new StringBuilder();
            for (var i = 0; i < document.Length; i++)
            {
                var pair = i + 1 < document.Length && char.IsSurrogatePair(document[i], document[i + 1]);
                if (pair)
                    text.Append(document[i]).Append(document[++i]);
                else if (char.IsSurrogate(document[i]))
                {
                    text.Append($"LoneSurrogate{lone.Count}x");
                    lone.Add(document[i]);
                }
                else
                    text.Append(document[i]);
            }

            var json = new JsonObject { ["query"] = text.ToString(), ["variables"] = variables.Count > 0 ? VariableValues() : null }.ToJsonString();
            for (var i = 0; i < lone.Count; i++)
                json = json.Replace($"LoneSurrogate{i}x", $"\\u{(int)lone[i]:x4}");
            return Post(json);
        }

        public HostileRequest Variables()
        {
            const string operation = """
                query Fuzz($where: ArticleFilterInput, $order: [ArticleSortInput!], $first: Int, $last: Int, $after: String, $before: String,
                           $ids: [ID!]!, $slug: String!, $tagWhere: TagFilterInput, $tagOrder: [TagSortInput!]) {
                  articles(where: $where, order: $order, first: $first, after: $after) { totalCount pageInfo { endCursor } nodes { slug tags { slug } } }
                  latest: articles(last: $last, before: $before) { nodes { slug } }
                  nodes(ids: $ids) { id }
                  article(slug: $slug) { title }
                  tags(where: $tagWhere, order: $tagOrder) { nodes { slug articleCount } }
                }
                """;
            var declared = new (string Name, string Type)[]
            {
                ("where", "ArticleFilterInput"), ("order", "[ArticleSortInput!]"), ("first", "Int"), ("last", "Int"), ("after", "String"),
                ("before", "String"), ("ids", "[ID!]!"), ("slug", "String!"), ("tagWhere", "TagFilterInput"), ("tagOrder", "[TagSortInput!]"),
            };
            var values = new JsonObject();
            foreach (var (name, type) in declared)
            {
                if (r.Next(6) == 0) continue;
                values[name] = r.Next(5) < 3 ? JsonFor(ParseType(type), 0, name) : AnyJson(0);
            }

            if (r.Next(10) == 0) values[Pick(schema.Names)] = AnyJson(0);
            var body = new JsonObject { ["query"] = operation, ["variables"] = values }.ToJsonString();
            return Post(PadTo(body, r.Next(3) == 0 ? TargetSize() : 0));
        }

        public HostileRequest Bytes()
        {
            switch (r.Next(100))
            {
                case < 20:
                    var noise = new byte[r.Next(10) == 0 ? r.Next(1, g.MaxBodyBytes + 1_000) : r.Next(0, 2_000)];
                    r.NextBytes(noise);
                    if (r.Next(2) == 0 && noise.Length > 0) noise[0] = (byte)'{';
                    return Post(noise) with { Kind = "random bytes" };
                case < 55:
                    // Invalid UTF-8 inside a string the server decodes: the document, a variable, a name, or between tokens.
                    var (where, valid) = Pick(Templates);
                    var inPlace = r.Next(5) > 0;
                    var at = inPlace ? valid.IndexOf('~') : r.Next(valid.Length);
                    var bytes = new List<byte>(Encoding.UTF8.GetBytes(valid[..at].Replace("~", "")));
                    for (var n = r.Next(1, 4); n > 0; n--)
                        bytes.AddRange(Convert.FromHexString(Pick(InvalidUtf8).Replace(" ", "")));
                    bytes.AddRange(Encoding.UTF8.GetBytes(valid[at..].Replace("~", "")));
                    return Post(bytes.ToArray()) with { Kind = inPlace ? $"invalid UTF-8 in {where}" : "invalid UTF-8 anywhere" };
                case < 80:
                    // Escapes of lone surrogates (valid JSON, invalid Unicode) wherever a string goes.
                    var (place, template) = Pick(Templates);
                    return Post(template.Replace("~", Pick(LoneSurrogateEscapes))) with { Kind = $"lone surrogate escape in {place}" };
                default:
                    return Post(Pick<string>(
                    [
                        "\uFEFF{\"query\":\"{ __typename }\"}", "{\"query\":\"{ __typename }\"", "{\"query\":\"{ __typename }\"}}", "{\"query\":1e999}",
                        "{\"query\":\"{ __typename }\",\"query\":\"{ article(slug: \\\"x\\\") { title } }\"}", "{\"query\":\"{ __typename }\"} trailing",
                        "{'query':'{ __typename }'}", "{/*c*/\"query\":\"{ __typename }\"}", "{\"query\":\"{ __typename }\",\"variables\":{\"a\":" + new string('9', 5_000) + "}}",
                        "{\"query\":\"\\u0000\"}", "{\"query\":\"{ __typename }\",\"variables\":{\"a\":-0.0e-99999}}", "null", "[]", "\"\"", "{}", "",
                        "{\"query\":\"{ __typename }\",\"variables\":\"{}\"}", "{\"query\":null}", "{\"query\":[\"{ __typename }\"]}",
                        "{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":" + Pick(["1", "null", "\"\"", "{}", "\"zz\""]) + "}}}",
                    ])) with { Kind = "malformed JSON" };
            }
        }

        public HostileRequest LongList()
        {
            var count = Pick([10, 100, 1_000, 3_000, 5_000, 10_000, 15_000, 20_000, 40_000]);
            var (label, operation, variable) = r.Next(6) switch
            {
                0 => ("or items", "query($v: ArticleFilterInput) { articles(where: $v) { nodes { slug } } }", "{\"or\":[" + Repeat(count, () => Pick(["{}", "{\"slug\":{\"eq\":\"a\"}}", "{\"title\":{\"contains\":\"e\"}}", "{\"or\":[]}"])) + "]}"),
                1 => ("and items", "query($v: ArticleFilterInput) { articles(where: $v) { nodes { slug } } }", "{\"and\":[" + Repeat(count, () => "{\"title\":{\"neq\":\"x\"}}") + "]}"),
                2 => ("order items", "query($v: [ArticleSortInput!]) { articles(order: $v) { nodes { slug } } }", "[" + Repeat(count, () => Pick(["{\"title\":\"ASC\"}", "{\"publishedAt\":\"DESC\"}", "{}", "{\"slug\":\"ASC\",\"title\":\"DESC\"}"])) + "]"),
                3 => ("nodes(ids:)", "query($v: [ID!]!) { nodes(ids: $v) { id ... on Article { title } } }", "[" + Repeat(count, () => JsonSerializer.Serialize(Id())) + "]"),
                4 => ("in/nin values", "query($v: ArticleFilterInput) { articles(where: $v) { nodes { slug } } }", "{\"title\":{\"" + Pick(["in", "nin"]) + "\":[" + Repeat(count, () => JsonSerializer.Serialize(Text())) + "]}}"),
                _ => ("tag or items", "query($v: TagFilterInput) { tags(where: $v) { nodes { slug } } }", "{\"or\":[" + Repeat(count, () => "{\"slug\":{\"startsWith\":\"u\"}}") + "]}"),
            };
            if (r.Next(5) == 0)
            {
                // The same list as a literal in the document (GraphQL's object syntax: unquoted names).
                var literal = System.Text.RegularExpressions.Regex.Replace(variable, "\"([A-Za-z]+)\":", "$1:")
                    .Replace("\"ASC\"", "ASC").Replace("\"DESC\"", "DESC");
                var inline = operation[(operation.IndexOf(')') + 1)..].Replace("$v", literal);
                return Post(new JsonObject { ["query"] = inline }.ToJsonString()) with { Kind = label + " in the document", Note = $"{count:N0} items" };
            }

            return Post($"{{\"query\":{JsonSerializer.Serialize(operation)},\"variables\":{{\"v\":{variable}}}}}") with { Kind = label + " in variables", Note = $"{count:N0} items" };
        }

        public HostileRequest DeepNesting()
        {
            var depth = Pick([16, 64, 65, 200, 1_000, 3_000, 10_000, 30_000, 100_000]);
            string Nest(string open, string inner, string close) => string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
            var andOr = Pick(["and", "or"]);
            var (label, request) = r.Next(9) switch
            {
                0 => ($"{andOr} nested in variables", Post($"{{\"query\":\"query($v: ArticleFilterInput) {{ articles(where: $v) {{ nodes {{ slug }} }} }}\",\"variables\":{{\"v\":{Nest("{\"" + andOr + "\":[", "{}", "]}")}}}}}")),
                1 => ("tag filter and nested in variables", Post($"{{\"query\":\"query($v: TagFilterInput) {{ tags(where: $v) {{ nodes {{ slug }} }} }}\",\"variables\":{{\"v\":{Nest("{\"and\":[", "{}", "]}")}}}}}")),
                2 => ("and nested in the document", Post(new JsonObject { ["query"] = $"{{ articles(where: {Nest("{ and: [", "{ title: { eq: \"x\" } }", "] }")}) {{ nodes {{ slug }} }} }}" }.ToJsonString())),
                3 => ("JSON nested in a variable", Post($"{{\"query\":\"query($v: ArticleFilterInput) {{ articles(where: $v) {{ nodes {{ slug }} }} }}\",\"variables\":{{\"v\":{(r.Next(2) == 0 ? Nest("[", "1", "]") : Nest("{\"a\":", "1", "}"))}}}}}")),
                4 => ("selections nested", Post(new JsonObject { ["query"] = "{ articles { nodes { " + Nest("relatedArticles { ", "title", " } ") + " } } }" }.ToJsonString())),
                5 => ("aliased selections nested", Post(new JsonObject { ["query"] = Nest("{ a: ", "__typename", " }") }.ToJsonString())),
                6 => ("list literal nested", Post(new JsonObject { ["query"] = $"{{ articles(first: {Nest("[", "1", "]")}) {{ totalCount }} }}" }.ToJsonString())),
                7 => ("unclosed brackets", Post(new JsonObject { ["query"] = Nest(Pick(["{", "(", "[", "{ a(b: "]), "", "") }.ToJsonString())),
                _ => ("fragment chain", Post(new JsonObject { ["query"] = "{ articles { nodes { ...F0 } } }\n" + string.Concat(Enumerable.Range(0, Math.Min(depth, 2_000)).Select(i => $"fragment F{i} on Article {{ slug ...F{i + 1} }}\n")) + $"fragment F{Math.Min(depth, 2_000)} on Article {{ title }}" }.ToJsonString())),
            };
            return request with { Kind = label, Note = $"{depth:N0} levels" };
        }

        public HostileRequest CursorOrId()
        {
            var pageSize = r.Next(3) > 0
                ? Pick(["", "first: 1, ", "first: 50, ", "last: 3, "])
                : Pick(["first: 51, ", "first: 0, ", "first: -1, ", "first: 2147483647, ", "last: -2147483648, ", "first: 1, last: 1, "]);
            // Half of them at the edges of an int offset, where arithmetic on a cursor overflows.
            var cursor = JsonSerializer.Serialize(r.Next(2) == 0 ? Base64(Pick(["2147483647", "2147483646", "-2147483648", "-1", "0"])) : Cursor());
            var choice = r.Next(10);
            var query = choice switch
            {
                0 or 8 or 9 => $"{{ articles({pageSize}after: {cursor}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ slug }} }} }} }}",
                1 => $"{{ articles({pageSize}before: {cursor}) {{ pageInfo {{ hasPreviousPage startCursor }} nodes {{ slug }} }} }}",
                2 => $"{{ tags({pageSize}after: {cursor}) {{ nodes {{ slug articles({pageSize}after: {cursor}) {{ totalCount nodes {{ slug }} }} }} }} }}",
                3 => $"{{ tag(slug: \"ukraine\") {{ articles({pageSize}before: {cursor}) {{ nodes {{ slug }} }} }} }}",
                4 => $"{{ auditLog({pageSize}after: {cursor}) {{ nodes {{ __typename }} }} }}",
                5 => $"{{ node(id: {JsonSerializer.Serialize(Id())}) {{ id __typename ... on Article {{ title }} ... on Tag {{ slug }} }} }}",
                6 => $"{{ nodes(ids: [{string.Join(", ", Enumerable.Range(0, r.Next(1, 20)).Select(_ => JsonSerializer.Serialize(Id())))}]) {{ id }} }}",
                _ => $"{{ articles(where: {{ publishedAt: {{ {Pick(["gt", "lt", "eq", "in", "ngte"])}: {(r.Next(4) == 0 ? "[" + JsonSerializer.Serialize(DateText()) + "]" : JsonSerializer.Serialize(DateText()))} }} }}) {{ nodes {{ slug }} }} }}",
            };
            return Post(new JsonObject { ["query"] = query }.ToJsonString()) with { Kind = choice switch { 5 or 6 => "id", 7 => "date", _ => "cursor" } };
        }

        public HostileRequest Http()
        {
            var operation = Operation();
            var body = new JsonObject { ["query"] = operation, ["variables"] = variables.Count > 0 ? VariableValues() : null };
            switch (r.Next(5))
            {
                case 0:
                    return Get(body) with { Kind = "GET" };
                case 1:
                    var raw = string.Join("&", Enumerable.Range(0, r.Next(1, 5)).Select(_ =>
                        Pick(["query", "variables", "operationName", "extensions", "query", Pick(schema.Names)]) + "=" + Pick<string>(
                        [
                            Uri.EscapeDataString(operation), "%7B__typename%7D", "%ED%A0%80", "%C0%80", "%FF%FE", "%", "%Z1", "%7B%22a%22%3A%5B%5B%5B",
                            Uri.EscapeDataString("{\"a\":\"\\ud800\"}"), Uri.EscapeDataString(new string('{', 5_000)), "", "%00",
                        ])));
                    return new HostileRequest("raw query string", "GET", "/graphql?" + raw, null, null, Pick([null, "application/json", "application/graphql-response+json"]), null);
                case 2:
                    var method = Pick(["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"]);
                    return new HostileRequest("other methods", method, "/graphql", method is "HEAD" or "TRACE" ? null : Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json", null, null);
                case 3:
                    var batch = new JsonArray(Enumerable.Range(0, Pick([0, 1, 2, 5, 10, 11, 50])).Select(_ => r.Next(4) switch
                    {
                        0 => AnyJson(3),
                        _ => (JsonNode)new JsonObject { ["query"] = r.Next(2) == 0 ? "{ __typename }" : Pick(["{ articles { nodes { slug } } }", "mutation { createTag(input: { name: \"x\" }) { errors { __typename } } }", "{", "subscription { articleChanged { articleId } }"]) },
                    }).ToArray());
                    return Post(batch.ToJsonString()) with { Kind = "batch" };
                default:
                    return Post(body.ToJsonString()) with
                    {
                        Kind = "content negotiation",
                        ContentType = Pick<string?>(
                        [
                            null, "", "text/plain", "application/json; charset=latin1", "application/json; charset=utf-16", "application/graphql",
                            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json;;;", "application/json; charset=\"utf-8\"",
                            "application/graphql-response+json", "APPLICATION/JSON", "*/*", "application/json; charset=utf-8; q=0",
                        ]),
                        Accept = Pick<string?>(["application/graphql-response+json", "text/html", "*/*", "application/xml", "application/json;q=0", "text/event-stream", ";;", null]),
                        PathAndQuery = Pick(["/graphql", "/graphql/", "/graphql?query=%7B__typename%7D", "/graphql/index.html"]),
                    };
            }
        }

        /// <summary>
        /// Reads aimed at the unpublished articles: searches (for their words, misspelt so that suggestions come into
        /// play, beside a visible word after <c>or</c>), their slugs, ids and words in filters, the tag and the article
        /// they share with visible ones, and the feeds.
        /// </summary>
        public HostileRequest UnpublishedWords(UnpublishedCanaries hidden)
        {
            string Hidden() => r.Next(3) == 0 ? Pick(hidden.Words) : UnpublishedCanaries.Misspelled(Pick(hidden.Words), r);
            string Visible() => hidden.VisibleWords.Count == 0 ? "news"
                : r.Next(2) == 0 ? Pick(hidden.VisibleWords) : UnpublishedCanaries.Misspelled(Pick(hidden.VisibleWords), r);
            var search = r.Next(7) switch
            {
                0 => Hidden(),
                1 => $"{Hidden()} or {Visible()}",
                2 => $"{Visible()} or {Hidden()} or {Hidden()}",
                3 => $"{Visible()} -{Hidden()}",
                4 => $"\"{Hidden()} {Hidden()}\"",
                5 => $"{Hidden()} {Visible()}",
                _ => $"-{Hidden()}",
            };
            var word = Hidden();
            var slug = r.Next(3) == 0 ? UnpublishedCanaries.Misspelled(Pick(hidden.Slugs), r) : Pick(hidden.Slugs);
            var text = Pick(["title", "standfirst", "body", "slug"]);
            var op = Pick(["contains", "startsWith", "endsWith", "eq", "ncontains"]);
            var article = "{ id title standfirst body slug status relatedArticles { title } similarArticles { title } }";
            var (label, query, variables) = r.Next(12) switch
            {
                < 4 => ("search with suggestion", "query ($q: String!, $first: Int) { searchArticles(query: $q, first: $first) { totalCount suggestion " +
                        "tagFacets { count tag { slug } } nodes { score snippet article { slug title standfirst } } } }",
                        new JsonObject { ["q"] = search, ["first"] = Pick([1, 10, 50]) }),
                4 => ("planned search", "query ($q: String!) { searchArticles(query: $q) { totalCount nodes { score snippet article { slug title body } } } }",
                      new JsonObject { ["q"] = search }),
                5 => ("slug", "query ($s: String!) { article(slug: $s) " + article + " resolveSlug(slug: $s) { canonicalSlug article { title } } }",
                      new JsonObject { ["s"] = slug }),
                6 => ("filter", "query ($w: ArticleFilterInput) { articles(first: 50, where: $w) { totalCount nodes { slug title } } }",
                      new JsonObject { ["w"] = new JsonObject { [text] = new JsonObject { [op] = word } } }),
                7 => ("ids", "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Article { title standfirst } } }",
                      new JsonObject { ["ids"] = new JsonArray([.. hidden.Ids.Select(id => (JsonNode)id!)]) }),
                8 => ("tag", "query ($s: String!) { tag(slug: $s) { articleCount articles(first: 50) { totalCount nodes { title } } } }",
                      new JsonObject { ["s"] = hidden.TagSlug }),
                9 => ("status filter", "{ articles(first: 50, where: { status: { in: [DRAFT, ARCHIVED] } }) { totalCount nodes " + article + " } }",
                      new JsonObject()),
                10 => ("related and similar", "{ articles(first: 10) { nodes " + article + " } }", new JsonObject()),
                _ => ("feed", "", new JsonObject()),
            };
            if (query.Length == 0)
            {
                var path = Pick(["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/sitemap.xml", "/sitemap-news.xml",
                    $"/feeds/tags/{hidden.TagSlug}/rss.xml"]);
                return new HostileRequest("feed", "GET", path, null, null, null, null);
            }

            var body = new JsonObject { ["query"] = query, ["variables"] = variables };
            return (r.Next(3) == 0 ? Get(body) : Post(body.ToJsonString())) with { Kind = label };
        }

        // ---------- documents from the schema ----------

        private string Operation()
        {
            var type = r.Next(100) switch { < 75 => "query", < 95 => "mutation", _ => wellTyped ? "query" : "subscription" };
            var root = type switch { "query" => schema.Query, "mutation" => schema.Mutation, _ => schema.Subscription } ?? schema.Query;
            var maxDepth = !wellTyped && r.Next(10) == 0 ? r.Next(8, 25) : r.Next(1, 6);
            var selection = SelectionSet(schema.Types[root], 0, maxDepth);
            var name = r.Next(3) == 0 ? $" Op{r.Next(2)}" : "";
            var declarations = variables.Count > 0
                ? "(" + string.Join(", ", variables.Select(v => $"${v.Name}: {v.Type}" + (r.Next(12) == 0 ? $" = {Value(v.Type, 3, v.Name, literalOnly: true)}" : ""))) + ")"
                : !wellTyped && r.Next(30) == 0 ? "($unused: Int)" : "";
            var document = type == "query" && name.Length == 0 && declarations.Length == 0 && r.Next(2) == 0 ? selection : $"{type}{name}{declarations} {selection}";
            return document + string.Concat(fragments.Select(f => "\n" + f));
        }

        private string SelectionSet(GraphType type, int depth, int maxDepth)
        {
            var items = new List<string>();
            for (var count = r.Next(1, 5); count > 0 && --budget > 0; count--)
            {
                var roll = r.Next(100);
                if (roll < 6 && depth < maxDepth)
                    items.Add(InlineFragment(type, depth, maxDepth));
                else if (roll < 11 && depth < maxDepth)
                    items.Add("..." + FragmentSpread(type, depth, maxDepth));
                else
                    items.Add(FieldSelection(type, depth, maxDepth));
            }

            return "{ " + (items.Count == 0 ? "__typename" : string.Join(" ", items)) + " }";
        }

        private string FieldSelection(GraphType type, int depth, int maxDepth)
        {
            if (type.Fields.Count == 0 || (!wellTyped && r.Next(25) == 0))
                return !wellTyped && r.Next(4) == 0 ? Pick(schema.Names) : "__typename";
            var field = Pick(type.Fields);
            // Well-typed documents alias every field with arguments uniquely, so no two selections conflict.
            var alias = wellTyped && field.Args.Count > 0 ? $"f{aliases++}: " : !wellTyped && r.Next(7) == 0 ? $"a{r.Next(60)}: " : "";
            var directives = r.Next(20) == 0 ? " " + Directive() : "";
            var target = schema.Types.GetValueOrDefault(field.Type.NamedType);
            var selection = target is { Kind: "OBJECT" or "INTERFACE" or "UNION" }
                ? depth < maxDepth ? SelectionSet(target, depth + 1, maxDepth) : "{ __typename }"
                : !wellTyped && r.Next(30) == 0 ? "{ __typename }" : "";
            return $"{alias}{field.Name}{Arguments(field.Args)}{directives} {selection}";
        }

        /// <summary>A type a fragment on <paramref name="type"/> may name: itself or one of its possible types (else, for nonsense, any).</summary>
        private GraphType FragmentType(GraphType type) =>
            type.PossibleTypes.Count > 0 && r.Next(5) > 0 ? schema.Types[Pick(type.PossibleTypes)]
            : !wellTyped && r.Next(5) == 0 ? Pick(schema.Composites)
            : type;

        private string InlineFragment(GraphType type, int depth, int maxDepth)
        {
            var on = FragmentType(type);
            return (on == type && r.Next(5) == 0 ? "... " : $"... on {on.Name} ") + SelectionSet(on, depth + 1, maxDepth);
        }

        private string FragmentSpread(GraphType type, int depth, int maxDepth)
        {
            if (!wellTyped && r.Next(15) == 0)
                return "Missing";
            var name = $"F{fragments.Count}x{r.Next(1_000)}";
            var on = FragmentType(type);
            fragments.Add($"fragment {name} on {on.Name} {SelectionSet(on, depth + 1, maxDepth)}");
            return name;
        }

        private string Arguments(IReadOnlyList<InputValue> args)
        {
            var given = args.Where(a => a.Type.Kind == "NON_NULL" ? wellTyped || r.Next(10) > 0 : r.Next(5) < 2)
                .Select(a => $"{a.Name}: {Value(a.Type, 0, a.Name)}").ToList();
            if (!wellTyped && r.Next(25) == 0) given.Add($"{Pick(schema.Names)}: {AnyLiteral()}");
            if (!wellTyped && r.Next(40) == 0 && given.Count > 0) given.Add(given[0]);
            return given.Count == 0 ? "" : "(" + string.Join(", ", given) + ")";
        }

        private string Directive() => wellTyped
            ? Pick<Func<string>>([() => "@include(if: true)", () => "@skip(if: false)", () => $"@include(if: {Variable(ParseType("Boolean!"))})"])()
            : Pick<Func<string>>(
            [
                () => "@include(if: true)", () => "@skip(if: false)", () => $"@include(if: {Variable(ParseType("Boolean!"))})", () => "@deprecated",
                () => "@bogus", () => "@skip", () => "@include(if: \"yes\")", () => "@skip(if: true) @skip(if: true)",
            ])();

        private string Value(TypeRef type, int depth, string? name = null, bool literalOnly = false)
        {
            var nullable = type.Kind != "NON_NULL";
            var roll = r.Next(100);
            if (--budget < 0) return nullable || !wellTyped ? "null" : Minimal(type);
            if (!literalOnly && roll < 8) return Variable(type);
            if (roll < 11 && (nullable || !wellTyped)) return "null";
            if (roll < 15 && !wellTyped) return AnyLiteral();
            if (!nullable) type = type.OfType!;
            if (type.Kind == "LIST")
            {
                if (r.Next(3) == 0) return Value(type.OfType!, depth + 1, name, literalOnly: literalOnly || wellTyped); // one item for a list
                return "[" + string.Join(", ", Enumerable.Range(0, Count()).Select(_ => Value(type.OfType!, depth + 1, name, literalOnly))) + "]";
            }

            var named = schema.Types[type.Name!];
            return named.Kind switch
            {
                "INPUT_OBJECT" => "{ " + string.Join(", ", InputFields(named, depth)
                    .Select(f => $"{f.Name}: {Value(f.Type, depth + 1, f.Name, literalOnly)}")
                    .Concat(!wellTyped && r.Next(20) == 0 ? [$"{Pick(schema.Names)}: {AnyLiteral()}"] : [])) + " }",
                "ENUM" => !wellTyped && r.Next(15) == 0 ? Pick(schema.Names).ToUpperInvariant() : Pick(named.EnumValues),
                _ => Scalar(named.Name, name),
            };
        }

        /// <summary>A random subset of an input type's fields; a well-typed value always has the required ones.</summary>
        private IEnumerable<InputValue> InputFields(GraphType input, int depth) =>
            input.InputFields.Where(f => (wellTyped && f.Type.Kind == "NON_NULL") || (depth <= 5 && r.Next(3) == 0));

        /// <summary>The smallest well-typed literal, for when the budget is spent.</summary>
        private string Minimal(TypeRef type)
        {
            var inner = type.Kind == "NON_NULL" ? type.OfType! : type;
            if (inner.Kind == "LIST") return "[]";
            var named = schema.Types[inner.Name!];
            return named.Kind switch
            {
                "INPUT_OBJECT" => "{ " + string.Join(", ", named.InputFields.Where(f => f.Type.Kind == "NON_NULL").Select(f => $"{f.Name}: {Minimal(f.Type)}")) + " }",
                "ENUM" => named.EnumValues[0],
                _ => named.Name switch { "Int" => "1", "Float" => "1.0", "Boolean" => "true", "DateTime" => "\"2025-01-01T00:00:00Z\"", _ => "\"x\"" },
            };
        }

        private string Variable(TypeRef type)
        {
            var reusable = variables.Where(v => !wellTyped || v.Type.ToString() == type.ToString()).ToList();
            if (reusable.Count > 0 && r.Next(4) == 0)
                return "$" + Pick(reusable).Name;
            var declared = !wellTyped && r.Next(6) == 0 ? new TypeRef("NAMED", Pick(schema.InputTypes).Name, null) : type;
            variables.Add(($"v{variables.Count}", declared));
            return $"$v{variables.Count - 1}";
        }

        private string Scalar(string type, string? name) => type switch
        {
            "Int" => IntLiteral(),
            "Float" => Pick<string>(wellTyped ? ["0.0", "1.5", "-1e10", "3"] : ["0.0", "1.5", "-1e10", "1e308", "1e309", "-0.0", "3", "1.7976931348623157e309"]),
            "Boolean" => Pick(["true", "false"]),
            "ID" => GraphQLString(Id()),
            _ when name is "after" or "before" && r.Next(10) < 7 => GraphQLString(Cursor()),
            _ when name is "slug" && r.Next(2) == 0 => GraphQLString(SlugText()),
            "DateTime" => GraphQLString(DateText()),
            _ when wellTyped => GraphQLString(Text()),
            _ => r.Next(12) == 0 ? "\"" + Pick(LoneSurrogateEscapes) + "\"" : r.Next(20) == 0 ? "\"\"\"" + Text().Replace("\"\"\"", "") + "\"\"\"" : GraphQLString(Text()),
        };

        private string AnyLiteral() => r.Next(8) switch
        {
            0 => IntLiteral(),
            1 => "1.5",
            2 => GraphQLString(Text()),
            3 => Pick(["true", "false", "null"]),
            4 => Pick(schema.Names).ToUpperInvariant(),
            5 => "[" + IntLiteral() + ", " + GraphQLString(Text()) + "]",
            6 => "{ " + Pick(schema.Names) + ": " + IntLiteral() + " }",
            _ => Pick(["[]", "{}", "[[]]", "\"\""]),
        };

        private int Count() => !wellTyped && r.Next(10) == 0 ? r.Next(20, 200) : r.Next(0, 4);

        // ---------- variable values ----------

        private JsonObject VariableValues()
        {
            var values = new JsonObject();
            foreach (var (name, type) in variables)
            {
                if ((!wellTyped && r.Next(10) == 0) || values.ContainsKey(name)) continue;
                values[name] = !wellTyped && r.Next(6) == 0 ? AnyJson(0) : JsonFor(type, 0, name);
            }

            if (!wellTyped && r.Next(20) == 0) values[Pick(schema.Names)] = AnyJson(0);
            return values;
        }

        private JsonNode? JsonFor(TypeRef type, int depth, string? name)
        {
            var nullable = type.Kind != "NON_NULL";
            if ((nullable || !wellTyped) && (r.Next(100) < 4 || --budget < 0)) return null;
            if (!nullable) type = type.OfType!;
            if (type.Kind == "LIST")
            {
                if (r.Next(4) == 0) return JsonFor(type.OfType!, depth + 1, name); // one item for a list
                return new JsonArray(Enumerable.Range(0, Count()).Select(_ => JsonFor(type.OfType!, depth + 1, name)).ToArray());
            }

            var named = schema.Types.GetValueOrDefault(type.Name!);
            switch (named?.Kind)
            {
                case "INPUT_OBJECT":
                    var input = new JsonObject();
                    foreach (var field in InputFields(named, depth))
                        input[field.Name] = JsonFor(field.Type, depth + 1, field.Name);
                    if (!wellTyped && r.Next(20) == 0) input[Pick(schema.Names)] = AnyJson(depth + 1);
                    return input;
                case "ENUM":
                    return !wellTyped && r.Next(15) == 0 ? Pick(schema.Names) : Pick(named.EnumValues);
            }

            return named?.Name switch
            {
                "Int" => JsonNode.Parse(IntLiteral()),
                "Float" => JsonNode.Parse(Pick<string>(wellTyped ? ["0.5", "-1e10", "7"] : ["0.5", "-1e10", "1e308", "1e400", "-0"])),
                "Boolean" => r.Next(2) == 0,
                "ID" => Id(),
                "DateTime" => DateText(),
                _ when name is "after" or "before" && r.Next(10) < 7 => Cursor(),
                _ when name is "slug" && r.Next(2) == 0 => SlugText(),
                _ => Text(),
            };
        }

        private JsonNode? AnyJson(int depth) => r.Next(depth > 4 ? 4 : 7) switch
        {
            0 => null,
            1 => r.Next(2) == 0,
            2 => JsonNode.Parse(Pick([IntLiteral(), "0.1", "-1e400", "1e999", "123456789012345678901234567890"])),
            3 => Text(),
            4 => new JsonArray(Enumerable.Range(0, Count()).Select(_ => AnyJson(depth + 1)).ToArray()),
            5 => new JsonObject(Enumerable.Range(0, Count()).Select(i => KeyValuePair.Create(r.Next(3) == 0 ? $"k{i}" : Pick(schema.Names) + i, AnyJson(depth + 1)))),
            _ => Nested(r.Next(1, 200)),
        };

        private static JsonNode? Nested(int depth) =>
            JsonNode.Parse(new string('[', depth) + "1" + new string(']', depth), documentOptions: new JsonDocumentOptions { MaxDepth = depth + 1 });

        // ---------- scalars ----------

        private string IntLiteral() => r.Next(4) == 0
            ? r.Next(-100, 100).ToString(CultureInfo.InvariantCulture)
            : Pick<string>(wellTyped
                ? ["0", "1", "-1", "5", "10", "50", "51", "100", "2147483647", "-2147483648"]
                : ["0", "1", "-1", "5", "10", "50", "51", "100", "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775808", "1" + new string('0', 40)]);

        private string Text() => r.Next(14) switch
        {
            11 when g.Canaries is { } hidden => r.Next(2) == 0 ? Pick(hidden.Words) : UnpublishedCanaries.Misspelled(Pick(hidden.Words), r),
            0 => "",
            1 => Pick(schema.Names),
            2 => Pick(Slugs),
            3 => string.Concat(Enumerable.Range(0, r.Next(1, 30)).Select(_ => Pick(["ü", "😀", "ع", "\u0301", "\uFFFF", "\uFEFF", "\u200B", "\u0000", "\u001F", "\u2028", "a", " "]))),
            4 => Pick(["%", "_", "\\%", "%%", "\\", "\\\\", "'", "''", "\"", "$1", "{0}", "%s", "\\u0000"]),
            5 => new string(Pick(['x', 'é', ' ']), Pick([256, 1_000, 10_000, 40_000])),
            6 => Pick(["'; DROP TABLE \"Articles\"; --", "' OR 1=1 --", "\") OR (\"1\"=\"1", "$$; SELECT pg_sleep(5); $$", "NULL", "null", "undefined"]),
            7 => Pick(["0", "-1", "1e3", "NaN", "Infinity", "0x10", "2147483648"]),
            8 => Cursor(),
            9 => Id(),
            10 => DateText(),
            _ => "<script>alert(1)</script>",
        };

        private string SlugText() => g.Canaries is { } hidden && r.Next(4) == 0 ? Pick(hidden.Slugs) : Pick(Slugs);

        private string Cursor() => r.Next(10) switch
        {
            < 4 => Base64(Pick(["0", "1", "-1", "49", "2147483646", "2147483647", "-2147483648", "99999999999999999999"])),
            < 6 => Base64(Pick(["50", "2147483648", "9223372036854775807", "1.5", "", " 1", "0x10", r.Next().ToString(CultureInfo.InvariantCulture)])),
            6 => Base64(new string('9', r.Next(1, 400))),
            7 => Pick(["", "====", "not base64!", "%%%", "YQ", "YQ=", "\0", new string('A', 10_000)]),
            8 => Convert.ToBase64String(Enumerable.Range(0, r.Next(1, 64)).Select(_ => (byte)r.Next(256)).ToArray()),
            _ => Base64($"{Pick(["Article", "Tag", "cursor", "offset"])}:{IntLiteral()}"),
        };

        private string Id() => r.Next(10) switch
        {
            < 7 => Base64($"{Pick(["Article", "Tag", "Publication", "ArticleRevision", "ApiToken", "AuditEntry", "Query", "", "article"])}:{Pick(["1", "2", "0", "-1", "2147483647", "2147483648", "99999999999999999999", "abc", "", "1:2", " 1", "1.0", "🙂"])}"),
            7 => Pick(["", "1", "Article:1", "QXJ0aWNsZTox====", "QXJ0aWNsZTox!", new string('Q', 5_000)]),
            8 => Convert.ToBase64String(Enumerable.Range(0, r.Next(1, 40)).Select(_ => (byte)r.Next(256)).ToArray()),
            _ => Base64(Pick(["Article:" + new string('9', 300), "Tag:" + Text(), "ArticleRevision:1:1"])),
        };

        private string DateText() => wellTyped
            ? Pick(["2025-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-06-30T12:00:00+02:00", "1990-01-01T00:00:00Z"])
            : Pick(
        [
            "2025-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1990-01-01", "2025-02-30T00:00:00Z", "yesterday", "",
            "2025-01-01T00:00:00+25:00", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "2025-01-01T24:00:00Z", "1e10", "2025-13-01",
        ]);

        private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static string GraphQLString(string value) =>
            JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        // ---------- bodies ----------

        /// <summary>Request bodies with a ~ wherever a hostile sequence can go: inside the document, a variable, a name, between tokens.</summary>
        private static readonly (string Where, string Body)[] Templates =
        [
            ("a string in the document", "{\"query\":\"{ article(slug: \\\"~\\\") { title } }\"}"),
            ("a string variable", "{\"query\":\"query($s: String!) { article(slug: $s) { title } }\",\"variables\":{\"s\":\"~\"}}"),
            ("a filter variable", "{\"query\":\"query($w: ArticleFilterInput) { articles(where: $w) { nodes { slug } } }\",\"variables\":{\"w\":{\"title\":{\"contains\":\"~\"}}}}"),
            ("operationName", "{\"query\":\"{ __typename }\",\"operationName\":\"~\"}"),
            ("a variable's name", "{\"query\":\"{ __typename }\",\"variables\":{\"~\":1}}"),
            ("a property name", "{\"~query\":\"{ __typename }\"}"),
            ("the JSON between members", "{\"query\":\"{ __typename }\"~}"),
            ("a comment in the document", "{\"query\":\"{ __typename # ~\\n }\"}"),
            ("the document between tokens", "{\"query\":\"{ ~__typename }\"}"),
            ("a cursor", "{\"query\":\"{ articles(after: \\\"~\\\") { nodes { slug } } }\"}"),
            ("an id", "{\"query\":\"{ node(id: \\\"~\\\") { id } }\"}"),
            ("a persisted-query hash", "{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"~\"}}}"),
        ];

        private string PadTo(string body, int size)
        {
            if (body.Length >= size || !body.EndsWith("}}", StringComparison.Ordinal))
                return body;
            // An unused variable of the size that brings the body to the target (the server ignores undeclared variables).
            var padding = ",\"pad\":\"" + new string(Pick(['x', ' ', 'é']), Math.Max(0, size - body.Length - 10)) + "\"";
            return body[..^2] + padding + "}}";
        }

        private int TargetSize() => r.Next(5) switch
        {
            0 => r.Next(1_000, 64_000),
            1 => r.Next(64_000, g.MaxBodyBytes - 1_000),
            2 => g.MaxBodyBytes - r.Next(0, 1_000),
            3 => g.MaxBodyBytes + r.Next(1, 100),
            _ => g.MaxBodyBytes + r.Next(1_000, 100_000),
        };

        private string Repeat(int count, Func<string> item)
        {
            var text = new StringBuilder();
            for (var i = 0; i < count && text.Length < g.MaxBodyBytes + 4_096; i++)
                text.Append(i == 0 ? "" : ",").Append(item());
            return text.ToString();
        }

        private static TypeRef ParseType(string type) => type switch
        {
            _ when type.EndsWith('!') => new TypeRef("NON_NULL", null, ParseType(type[..^1])),
            _ when type.StartsWith('[') => new TypeRef("LIST", null, ParseType(type[1..^1])),
            _ => new TypeRef("NAMED", type, null),
        };

        private HostileRequest Post(string body) => Post(Encoding.UTF8.GetBytes(body));

        private HostileRequest Post(byte[] body) => new("", "POST", "/graphql", body, "application/json", r.Next(3) == 0 ? "application/graphql-response+json" : null, null);

        private HostileRequest Get(JsonObject body)
        {
            var query = string.Join("&", body.Where(p => p.Value is not null).Select(p =>
                $"{p.Key}={Uri.EscapeDataString(p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString())}"));
            return new HostileRequest("", "GET", "/graphql?" + query, null, null, r.Next(2) == 0 ? "application/graphql-response+json" : "application/json", null);
        }
    }
}
