using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Search;

public sealed record ArticleSearchResult(int ArticleId, double Score, string Snippet);

public sealed record TagFacet(int TagId, int Count);

/// <summary>What one search statement found: the page's hits (one more than the window when more follow) and, when asked, the rest.</summary>
public sealed record SearchFindings(IReadOnlyList<ArticleSearchResult> Hits, int? Total, IReadOnlyList<TagFacet>? Facets);

/// <summary>What the client selected, so the statement computes nothing it does not show.</summary>
public sealed record SearchWants(bool Snippets, bool Total, bool Facets);

/// <summary>
/// Ranked full-text search over the articles a caller may see, in one SQL statement: the caller's articles (the same
/// visibility and <c>where</c> as <c>articles</c>, translated by EF Core) matched against the stored search document,
/// ranked by <c>ts_rank_cd</c> (newest first among equal ranks), the page's snippets, and when asked the total and the
/// tag counts over every match.
/// </summary>
public sealed class ArticleSearch(IOptions<SearchOptions> options, SearchIndex index)
{
    /// <summary>
    /// How much of the standfirst and body (joined) <c>ts_headline</c> reads: its cost grows with the text, and a body
    /// may hold 100,000 characters. A match only further in gets a snippet of the opening, without marks.
    /// </summary>
    public const int SnippetCharacters = 4_000;

    // Texts are HTML-escaped before ts_headline, so '<' cannot occur in them and the only tags in a snippet are its marks.
    private static readonly string SnippetDocument =
        $$"""replace(replace(replace(replace(replace(left(concat_ws(E'\n\n', a."Standfirst", a."Body"), {{SnippetCharacters}}), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')""";

    private const string SnippetOptions = "StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"";

    /// <summary>The snippet of <c>"Articles" AS a</c> for the search's query.</summary>
    public static readonly string Snippet = $"ts_headline(@search_config::regconfig, {SnippetDocument}, {Query}, '{SnippetOptions}')";

    /// <summary>
    /// A statement over the matches (<c>matches</c>: id, time, score of every match; <c>page</c>: the window of them,
    /// best first) selecting <paramref name="select"/> as its one value, "Value"; for the planned search page.
    /// </summary>
    public static (string Sql, List<object> Parameters) Statement(IQueryable<Article> visible, string select, string configuration, string query, int skip, int take)
    {
        var (matches, parameters) = Matches(visible, configuration, query, skip, take);
        return ($"""
            {matches}
            SELECT {select} AS "Value"
            """, parameters);
    }

    /// <summary>
    /// The ranking both the planned page and the resolvers use: <c>matches</c> (id, time and score of every match the
    /// caller may see) and <c>page</c> (the window of them, best first, newest first among equal scores).
    /// </summary>
    private static (string Sql, List<object> Parameters) Matches(IQueryable<Article> visible, string configuration, string query, int skip, int take)
    {
        var (visibleSql, parameters) = Sql(visible.Select(a => a.Id));
        parameters.Add(new NpgsqlParameter("search_config", configuration));
        parameters.Add(new NpgsqlParameter("search_text", query));
        parameters.Add(new NpgsqlParameter("search_skip", skip));
        parameters.Add(new NpgsqlParameter("search_take", take));
        return ($"""
            WITH matches AS MATERIALIZED (
                SELECT a."Id", a."PublishedAt", ts_rank_cd(a."SearchDocument", {Query}) AS score
                FROM "Articles" AS a
                WHERE a."SearchDocument" @@ {Query} AND {Visible(visibleSql)}),
            page AS (
                SELECT m."Id", m."PublishedAt", m.score FROM matches AS m
                ORDER BY m.score DESC, m."PublishedAt" DESC NULLS LAST, m."Id" DESC
                OFFSET @search_skip LIMIT @search_take)
            """, parameters);
    }

    public async Task<SearchFindings> FindAsync(ContentDbContext db, IQueryable<Article> visible, string query, int skip, int take, SearchWants wants, CancellationToken cancellationToken)
    {
        var (matches, parameters) = Matches(visible, options.Value.TextSearchConfiguration, query, skip, take);
        parameters.Add(new NpgsqlParameter("search_facets", options.Value.MaxTagFacets));

        var snippet = wants.Snippets ? Snippet : "''";
        var total = wants.Total ? "(SELECT count(*)::int FROM matches)" : "NULL::int";
        var facets = wants.Facets
            ? """
              (SELECT coalesce(json_agg(json_build_object('tagId', f."TagId", 'count', f.n) ORDER BY f.n DESC, f."Name", f."TagId"), '[]')::text
               FROM (SELECT t."TagId", tag."Name", count(*)::int AS n
                     FROM matches AS m JOIN "ArticleTags" AS t ON t."ArticleId" = m."Id" JOIN "Tags" AS tag ON tag."Id" = t."TagId"
                     GROUP BY t."TagId", tag."Name" ORDER BY n DESC, tag."Name", t."TagId" LIMIT @search_facets) AS f)
              """
            : "NULL::text";
        var sql = $"""
            {matches}
            SELECT p."Id" AS "Id", p.score AS "Score", {snippet} AS "Snippet", {total} AS "Total", {facets} AS "Facets"
            FROM (SELECT 1) AS one LEFT JOIN (page AS p JOIN "Articles" AS a ON a."Id" = p."Id") ON true
            ORDER BY p.score DESC, p."PublishedAt" DESC NULLS LAST, p."Id" DESC
            """;

        var rows = await db.Database.SqlQueryRaw<SearchRow>(sql, [.. parameters]).ToListAsync(cancellationToken);
        var hits = rows.Where(r => r.Id is not null)
            .Select(r => new ArticleSearchResult(r.Id!.Value, Score(r.Score!.Value), r.Snippet ?? ""))
            .ToList();
        var first = rows.FirstOrDefault();
        return new SearchFindings(hits, first?.Total, first?.Facets is { } json ? ReadFacets(json) : null);
    }

    /// <summary>
    /// "Did you mean": each word of the query replaced by the most similar word (pg_trgm) of the title of an article the
    /// caller may see, kept only when the words differ from the query's and find something the caller may see. Every
    /// replacement is checked on its own against the caller's articles: the whole suggestion's check alone would let a
    /// hidden title's word through beside an <c>or</c>. Null without pg_trgm.
    /// </summary>
    public async Task<string?> SuggestAsync(ContentDbContext db, IQueryable<Article> visible, string query, CancellationToken cancellationToken)
    {
        if (!index.SuggestsWords)
            return null;
        var (visibleSql, parameters) = Sql(visible.Select(a => a.Id));
        parameters.Add(new NpgsqlParameter("search_config", options.Value.TextSearchConfiguration));
        parameters.Add(new NpgsqlParameter("search_text", query));
        parameters.Add(new NpgsqlParameter("search_candidates", SuggestionCandidates));
        var visibleArticle = Visible(visibleSql);
        // The nearest candidates first; the check stops at the first the caller may see (the index finds the titles
        // with the word, the title itself must hold it, not only a word of the same stem).
        var sql = $"""
            SELECT s.words AS "Value"
            FROM (SELECT string_agg(coalesce(best."Word", words.w), ' ' ORDER BY words.n) AS words,
                         string_agg(words.w, ' ' ORDER BY words.n) AS asked
                  FROM (SELECT w, n
                        FROM regexp_split_to_table(lower(@search_text), '[^[:alpha:]]+') WITH ORDINALITY AS t(w, n)
                        WHERE w <> ''
                        ORDER BY n
                        LIMIT 20) AS words
                  LEFT JOIN LATERAL (
                      SELECT c."Word"
                      FROM (SELECT tw."Word", similarity(tw."Word", words.w) AS likeness, tw."Articles"
                            FROM "SearchTitleWords" AS tw
                            WHERE length(words.w) BETWEEN 3 AND 40 AND tw."Word" % words.w
                            ORDER BY likeness DESC, tw."Articles" DESC, tw."Word"
                            LIMIT @search_candidates) AS c
                      WHERE EXISTS (
                          SELECT 1
                          FROM "Articles" AS a
                          WHERE a."SearchDocument" @@ plainto_tsquery(@search_config::regconfig, c."Word")
                            AND c."Word" IN (SELECT t4k3news_title_words(a."Title"))
                            AND {visibleArticle})
                      ORDER BY c.likeness DESC, c."Articles" DESC, c."Word"
                      LIMIT 1) AS best ON true) AS s
            WHERE s.words IS DISTINCT FROM s.asked
              AND EXISTS (SELECT 1 FROM "Articles" AS a
                          WHERE a."SearchDocument" @@ websearch_to_tsquery(@search_config::regconfig, s.words)
                            AND {visibleArticle})
            """;
        return await db.Database.SqlQueryRaw<string>(sql, [.. parameters]).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// How many of the title words most like a query word are tried (nearest first) for one the caller may see: each
    /// try is an index look-up, so a word only hidden articles are near keeps its cost bounded (and stays unreplaced).
    /// </summary>
    public const int SuggestionCandidates = 10;

    // Inline, not from a CTE: the planner then sees the query's value (and so the GIN index's selectivity).
    private const string Query = "websearch_to_tsquery(@search_config::regconfig, @search_text)";

    private const string IdsOfArticles = "SELECT a.\"Id\"\nFROM \"Articles\" AS a";

    /// <summary>
    /// The caller's articles as a condition on <c>"Articles" AS a</c>: EF Core's WHERE itself when its statement is the
    /// plain <c>SELECT a."Id" FROM "Articles" AS a [WHERE …]</c> it writes for these queries (one scan of the table,
    /// which the planner can drive from the GIN index), else the statement as a subquery.
    /// </summary>
    internal static string Visible(string visibleSql)
    {
        if (!visibleSql.StartsWith(IdsOfArticles, StringComparison.Ordinal)
            || visibleSql.Contains("ORDER BY", StringComparison.Ordinal) || visibleSql.Contains("LIMIT", StringComparison.Ordinal)
            || visibleSql.Contains("OFFSET", StringComparison.Ordinal) || visibleSql.Contains("GROUP BY", StringComparison.Ordinal))
            return $"a.\"Id\" IN ({visibleSql})";
        var rest = visibleSql[IdsOfArticles.Length..];
        if (rest.Length == 0)
            return "TRUE";
        return rest.StartsWith("\nWHERE ", StringComparison.Ordinal) ? $"({rest["\nWHERE ".Length..]})" : $"a.\"Id\" IN ({visibleSql})";
    }

    /// <summary>The SQL and parameters EF Core translates a query to: visibility and filters stay written once.</summary>
    internal static (string Sql, List<object> Parameters) Sql<T>(IQueryable<T> query)
    {
        using var command = query.CreateDbCommand();
        var parameters = command.Parameters.Cast<NpgsqlParameter>().Select(p => (object)p.Clone()).ToList();
        return (command.CommandText, parameters);
    }

    // ts_rank_cd is a real; its shortest decimal form is the score, not the double nearest its binary value.
    private static double Score(float rank) => double.Parse(rank.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static List<TagFacet> ReadFacets(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(f => new TagFacet(f.GetProperty("tagId").GetInt32(), f.GetProperty("count").GetInt32()))
            .ToList();
    }

    private sealed class SearchRow
    {
        public int? Id { get; init; }
        public float? Score { get; init; }
        public string? Snippet { get; init; }
        public int? Total { get; init; }
        public string? Facets { get; init; }
    }
}
