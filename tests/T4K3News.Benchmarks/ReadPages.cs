using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace T4K3News.Benchmarks;

/// <summary>
/// A front-end page: the GraphQL request the server answers, and the hand-written SQL (<c>Pages/*.sql</c>, a pgbench
/// script) that answers the same JSON in one statement. The article page picks a uniformly random published article
/// on both sides (pgbench's <c>random</c>, the wrk script's <c>math.random</c>). <paramref name="TargetRatio"/> is what
/// the planned read engine should reach at 16 connections: server requests/s ÷ the SQL's transactions/s.
/// </summary>
public sealed partial record ReadPage(string Name, string Document, bool PicksArticle, double TargetRatio)
{
    public static readonly ReadPage Home = new("home",
        "{ articles(first: 20) { nodes { slug title standfirst publishedAt tags { name slug } takeaways { text } } } }",
        PicksArticle: false, TargetRatio: 0.55);

    public static readonly ReadPage Article = new("article",
        "query Article($slug: String!) { article(slug: $slug) { slug title standfirst body analysis publishedAt updatedAt " +
        "heroImage { altText caption } takeaways { text } quotes { text speaker context } highlights { text } tags { name slug } " +
        "relatedArticles { slug title } } }",
        PicksArticle: true, TargetRatio: 0.30);

    public static readonly ReadPage Tag = new("tag",
        $$"""{ articles(first: 20, where: { tags: { some: { slug: { eq: "{{ReadDataSet.TagSlug}}" } } } }) { nodes { slug title publishedAt } } }""",
        PicksArticle: false, TargetRatio: 0.45);

    public static readonly ReadPage Search = new("search",
        $$"""{ searchArticles(query: "{{ReadDataSet.SearchQuery}}", first: 20) { nodes { article { slug title } score snippet } } }""",
        PicksArticle: false, TargetRatio: 0.30);

    public static readonly IReadOnlyList<ReadPage> All = [Home, Article, Tag, Search];

    /// <summary>pgbench's -D variables for the scripts.</summary>
    public static readonly IReadOnlyDictionary<string, string> ScriptVariables = new Dictionary<string, string>
    {
        ["published"] = ReadDataSet.PublishedCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["draft_every"] = ReadDataSet.DraftEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["tag"] = ReadDataSet.TagSlug,
    };

    public string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Pages", Name + ".sql");

    /// <summary>The request body for article number <paramref name="number"/> (ignored by pages that pick none).</summary>
    public string RequestBody(int number) => JsonSerializer.Serialize(PicksArticle
        ? new JsonObject { ["query"] = Document, ["variables"] = new JsonObject { ["slug"] = ReadDataSet.Slug(number) } }
        : new JsonObject { ["query"] = Document });

    /// <summary>The script's SQL statement with Npgsql parameters (@n, @tag) in place of pgbench's variables, for the check.</summary>
    public string Sql()
    {
        var lines = File.ReadAllLines(ScriptPath).Where(line => !line.TrimStart().StartsWith('\\'));
        return PgbenchVariable().Replace(string.Join('\n', lines), "@$1").TrimEnd().TrimEnd(';');
    }

    /// <summary>The wrk script: POST the body; the article page draws k as pgbench does and asks for that article.</summary>
    public string WrkScript()
    {
        var script = """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"

            """;
        if (!PicksArticle)
            return script + $"wrk.body = {LuaString(RequestBody(0))}\n";

        const int marker = 999_999_999;
        var parts = RequestBody(marker).Split(marker.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return script + $$"""
            local before, after = {{LuaString(parts[0])}}, {{LuaString(parts[1])}}
            local published, draftEvery = {{ReadDataSet.PublishedCount}}, {{ReadDataSet.DraftEvery}}
            local threads = 0

            function setup(thread)
              threads = threads + 1
              thread:set("seed", threads)
            end

            function init(args)
              math.randomseed(seed)
            end

            function request()
              local k = math.random(0, published - 1)
              local n = k + math.floor(k / (draftEvery - 1)) + 1
              return wrk.format(nil, nil, nil, before .. n .. after)
            end

            """;
    }

    private static string LuaString(string text) => "[==[" + text + "]==]";

    [GeneratedRegex(@"(?<![:\w]):(?!:)([A-Za-z_]\w*)")]
    private static partial Regex PgbenchVariable();
}
