using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Api.Tags;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Search;

/// <summary>A page of search results with what was asked beside it.</summary>
public sealed record ArticleSearchConnection(
    IReadOnlyList<Edge<ArticleSearchResult>> Edges, PageInfo PageInfo, int? TotalCount, IReadOnlyList<TagFacet>? TagFacets, string? Suggestion);

public sealed class ArticleSearchResultType : ObjectGraphType<ArticleSearchResult>
{
    public ArticleSearchResultType()
    {
        Name = "ArticleSearchResult";
        Description = "An article that matches a search, with how well and where.";
        Field<NonNullGraphType<ArticleType>>("article")
            .Resolve(c => c.RequestServices!.GetRequiredService<ArticleLoaders>().ById.Load(c.Source.ArticleId));
        Field<NonNullGraphType<FloatGraphType>>("score")
            .Description("PostgreSQL's ts_rank_cd of the match: title words weigh most, then standfirst and takeaways, then the rest.")
            .Resolve(c => c.Source.Score);
        Field<NonNullGraphType<StringGraphType>>("snippet")
            .Description("HTML: an excerpt of the standfirst and body with the matched words in <mark>…</mark>; every other character is escaped.")
            .Resolve(c => c.Source.Snippet);
    }
}

public sealed class ArticleSearchEdgeType() : EdgeType<ArticleSearchResult, ArticleSearchResultType>("ArticleSearchEdge");

public sealed class ArticleSearchConnectionType : ObjectGraphType<ArticleSearchConnection>
{
    public ArticleSearchConnectionType()
    {
        Name = "ArticleSearchConnection";
        Description = "A connection to a list of items.";
        Field<ListGraphType<NonNullGraphType<ArticleSearchEdgeType>>>("edges").Description("A list of edges.").Resolve(c => c.Source.Edges);
        Field<ListGraphType<NonNullGraphType<ArticleSearchResultType>>>("nodes").Description("A flattened list of the nodes.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Information to aid in pagination.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("Identifies the total count of items in the connection.")
            .Resolve(c => c.Source.TotalCount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TagFacetType>>>>("tagFacets")
            .Description("For every tag on the matching articles (all of them, not only this page), how many carry it; most first, then by name.")
            .Resolve(c => c.Source.TagFacets);
        Field<StringGraphType>("suggestion")
            .Description("When nothing matches: the query with each word replaced by the most similar word of a title (\"did you mean\"); null when there are matches or nothing better.")
            .Resolve(c => c.Source.Suggestion);
    }
}

public sealed class TagFacetType : ObjectGraphType<TagFacet>
{
    public TagFacetType()
    {
        Name = "TagFacet";
        Description = "A tag and how many matching articles carry it.";
        Field<NonNullGraphType<TagType>>("tag").Resolve(c => c.RequestServices!.GetRequiredService<TagLoaders>().ById.Load(c.Source.TagId));
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(c => c.Source.Count);
    }
}
