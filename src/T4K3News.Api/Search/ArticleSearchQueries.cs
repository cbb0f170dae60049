using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Search;

public static class ArticleSearchQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<ArticleSearchConnectionType>("searchArticles")
            .Description("Articles the caller may see that match a search, best first (newest first among equals). The query is web-search syntax: words, \"a quoted phrase\", or, -excluded.")
            .Argument<NonNullGraphType<StringGraphType>>("query", "What to look for; not empty, at most Search:MaxQueryLength (200) characters.")
            .Argument<IntGraphType>("first", $"Returns the first n items (at most {Paging.MaxPageSize}).")
            .Argument<StringGraphType>("after", "Returns the items after this cursor.")
            .Argument<ArticleFilterInputType>("where")
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                var text = context.GetArgument<string>("query");
                var limit = services.GetRequiredService<IOptions<SearchOptions>>().Value.MaxQueryLength;
                if (string.IsNullOrWhiteSpace(text))
                    throw new ExecutionError("Say what to search for: the query is empty.") { Code = SearchErrorCodes.QueryEmpty };
                if (text.Length > limit)
                    throw new ExecutionError($"The query can be at most {limit} characters long.") { Code = SearchErrorCodes.QueryTooLong };
                if (SearchQueryText.IsNegationOnly(text))
                    throw new ExecutionError("Say what to search for: the query only excludes words.") { Code = SearchErrorCodes.QueryNegationOnly };

                var paging = PagingArguments.Of(context.GetArgument<int?>("first"), null, context.GetArgument<string?>("after"), null);
                var window = paging.Window();
                var selected = context.SubFields?.Values.Select(f => f.FieldType.Name).ToHashSet() ?? [];
                var wants = new SearchWants(
                    Snippets: selected.Contains("edges") || selected.Contains("nodes"),
                    Total: selected.Contains("totalCount"),
                    Facets: selected.Contains("tagFacets"));

                var access = services.GetRequiredService<ArticleAccess>();
                var search = services.GetRequiredService<ArticleSearch>();
                var where = context.GetArgument<object?>("where");
                await using var db = await services.GetRequiredService<IDbContextFactory<ContentDbContext>>().CreateDbContextAsync(context.CancellationToken);
                var visible = access.Articles(db).AsNoTracking();
                if (where is not null)
                    visible = visible.Where(ArticleFiltering.Predicate(where, access.Now));
                var found = await search.FindAsync(db, visible, text, window.Start, window.Size + 1, wants, context.CancellationToken);

                var page = PagingArguments.ToConnection(window, found.Hits, _ => throw new InvalidOperationException("Counted with the search."));
                var suggestion = selected.Contains("suggestion") && found.Hits.Count == 0 && window.Start == 0
                    ? await search.SuggestAsync(db, visible, text, context.CancellationToken)
                    : null;
                return new ArticleSearchConnection(page.Edges, page.PageInfo, found.Total, found.Facets, suggestion);
            });
    }
}
