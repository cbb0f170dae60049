using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Search;

public static class SimilarArticleFields
{
    /// <summary>
    /// What one article's similar articles cost in the complexity model, before their own fields: a ranking of every
    /// article sharing a tag or a headline word with it, so a page of 50 with them costs 5,000, and nesting them is refused.
    /// </summary>
    public const double Cost = 100;

    public static void Register(ArticleType article)
    {
        article.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArticleType>>>>("similarArticles")
            .WithMetadata(GraphQLServer.Limits.CostModel.FieldCost, Cost)
            .Description("Published articles like this one: most tags in common first, then most words of this headline, then newest. Never this article nor its relatedArticles.")
            .Argument<IntGraphType>("first", "How many (at most Search:MaxSimilarArticles, 20).", a => a.DefaultValue = 5)
            .Resolve(context =>
            {
                var services = context.RequestServices!;
                var first = context.GetArgument("first", 5);
                var max = services.GetRequiredService<IOptions<SearchOptions>>().Value.MaxSimilarArticles;
                if (first < 0)
                    throw new ExecutionError("'first' cannot be negative.") { Code = ErrorCodes.InvalidPagingArguments };
                if (first > max)
                    throw new ExecutionError($"'first' can be at most {max} for similar articles.") { Code = ErrorCodes.PageSizeTooLarge };
                return services.GetRequiredService<SimilarArticleLoader>().For(first).Load(context.Source.Id);
            });
    }
}

/// <summary>
/// Similar articles of every article of an execution step, one statement per distinct <c>first</c>: per article, the
/// published and due articles sharing a tag with it or a word of its headline, ranked by tags shared, then by
/// <c>ts_rank</c> of their search document against its headline's words, then newest.
/// </summary>
public sealed class SimilarArticleLoader(IDbContextFactory<ContentDbContext> databases, TimeProvider clock, IOptions<SearchOptions> options)
{
    private readonly Dictionary<int, BatchLoader<int, IReadOnlyList<Article>>> loaders = [];

    public BatchLoader<int, IReadOnlyList<Article>> For(int first)
    {
        lock (loaders)
        {
            if (!loaders.TryGetValue(first, out var loader))
                loaders[first] = loader = new((ids, ct) => LoadAsync(ids, first, ct), []);
            return loader;
        }
    }

    private async Task<IReadOnlyDictionary<int, IReadOnlyList<Article>>> LoadAsync(IReadOnlyCollection<int> ids, int first, CancellationToken cancellationToken)
    {
        if (first == 0)
            return new Dictionary<int, IReadOnlyList<Article>>();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var (visibleSql, parameters) = ArticleSearch.Sql(db.Articles.VisibleToReaders(clock.GetUtcNow().UtcDateTime).Select(a => a.Id));
        parameters.Add(new NpgsqlParameter("similar_config", options.Value.TextSearchConfiguration));
        parameters.Add(new NpgsqlParameter("similar_ids", ids.ToArray()));
        parameters.Add(new NpgsqlParameter("similar_first", first));
        var sql = $"""
            SELECT source."Id" AS "SourceId", ranked."Id" AS "Id", ranked.position::int AS "Position"
            FROM (SELECT s."Id",
                         -- Any of the headline's words: its lexemes as tsquery prints them (quoted and escaped), or'ed.
                         replace(plainto_tsquery(@similar_config::regconfig, s."Title")::text, ' & ', ' | ')::tsquery AS q
                  FROM "Articles" AS s WHERE s."Id" = ANY(@similar_ids)) AS source
            CROSS JOIN LATERAL (
                SELECT c."Id", row_number() OVER (ORDER BY c.shared DESC, c.rank DESC, c."PublishedAt" DESC, c."Id" DESC) AS position
                FROM (SELECT a."Id", a."PublishedAt",
                             (SELECT count(*) FROM "ArticleTags" AS st JOIN "ArticleTags" AS ct ON ct."TagId" = st."TagId"
                              WHERE st."ArticleId" = source."Id" AND ct."ArticleId" = a."Id") AS shared,
                             coalesce(ts_rank(a."SearchDocument", source.q), 0) AS rank
                      FROM "Articles" AS a
                      WHERE a."Id" <> source."Id"
                        AND {ArticleSearch.Visible(visibleSql)}
                        AND NOT EXISTS (SELECT 1 FROM "RelatedArticles" AS r WHERE r."ArticleId" = source."Id" AND r."RelatedArticleId" = a."Id")
                        AND (a."SearchDocument" @@ source.q
                             OR a."Id" IN (SELECT ct."ArticleId" FROM "ArticleTags" AS st JOIN "ArticleTags" AS ct ON ct."TagId" = st."TagId"
                                           WHERE st."ArticleId" = source."Id"))) AS c
                ORDER BY c.shared DESC, c.rank DESC, c."PublishedAt" DESC, c."Id" DESC
                LIMIT @similar_first) AS ranked
            """;
        var rows = await (
                from pair in db.Database.SqlQueryRaw<SimilarPair>(sql, [.. parameters])
                join article in db.Articles.AsNoTracking() on pair.Id equals article.Id
                select new { pair.SourceId, pair.Position, Article = article })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SourceId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Article>)g.OrderBy(r => r.Position).Select(r => r.Article).ToList());
    }

    private sealed class SimilarPair
    {
        public int SourceId { get; init; }
        public int Id { get; init; }
        public int Position { get; init; }
    }
}
