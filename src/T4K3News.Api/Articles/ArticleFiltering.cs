using GraphQL.Types;
using T4K3News.GraphQLServer.Filtering;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

public static class ArticleFiltering
{
    public static readonly EntityFilter<Article> Filter = new EntityFilter<Article>()
        .String("slug", a => a.Slug)
        .String("title", a => a.Title)
        .String("standfirst", a => a.Standfirst)
        .String("body", a => a.Body)
        .Enum<ArticleStatus, ArticleStatusOperationFilterInputType>("status", a => a.Status)
        .DateTime("publishedAt", a => a.PublishedAt)
        .DateTime("createdAt", a => a.CreatedAt)
        .DateTime("updatedAt", a => a.UpdatedAt)
        .List<Content.Tags.Tag, TagListFilterInputType>("tags", a => a.ArticleTags.Select(t => t.Tag), TagFiltering.Filter);

    public static readonly EntitySort<Article> Sort = new EntitySort<Article>()
        .By("title", a => a.Title)
        .By("slug", a => a.Slug)
        .By("publishedAt", a => a.PublishedAt)
        .By("createdAt", a => a.CreatedAt)
        .By("updatedAt", a => a.UpdatedAt);

    /// <summary>Newest first unless the client orders otherwise; the id keeps pages stable among equal times.</summary>
    public static IQueryable<Article> Apply(IQueryable<Article> articles, object? where, IEnumerable<object?>? order)
    {
        if (where is not null)
            articles = articles.Where(Filter.ToPredicate(where));
        if (order is null || !order.Any())
            return articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
        return Sort.Apply(articles, order, a => a.Id, SortDirection.Asc);
    }
}

public sealed class ArticleFilterInputType() : FilterInputType<Article>("ArticleFilterInput", ArticleFiltering.Filter, typeof(ArticleFilterInputType));

public sealed class ArticleSortInputType() : SortInputType<Article>("ArticleSortInput", ArticleFiltering.Sort);

public sealed class ArticleStatusOperationFilterInputType() : EnumOperationFilterInputType<EnumerationGraphType<ArticleStatus>>("ArticleStatusOperationFilterInput");
