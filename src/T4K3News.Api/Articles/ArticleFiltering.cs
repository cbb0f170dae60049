using System.Linq.Expressions;
using GraphQL.Types;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Filtering;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

public static class ArticleFiltering
{
    public static readonly EntityFilter<Article> Filter = new();
    public static readonly EntitySort<Article> Sort = new();

    static ArticleFiltering()
    {
        // Every field once: what clients filter on, and order by where it says so; named as the article's fields are.
        Text(a => a.Slug, ordered: true);
        Text(a => a.Title, ordered: true);
        Text(a => a.Standfirst);
        Text(a => a.Body);
        Filter.Enum<ArticleStatus, ArticleStatusOperationFilterInputType>(ArticleFields.NameOf(nameof(Article.Status)), a => a.Status);
        Time(a => a.PublishedAt);
        Time(a => a.CreatedAt);
        Time(a => a.UpdatedAt);
        Filter.List<Content.Tags.Tag, TagListFilterInputType>("tags", a => a.ArticleTags.Select(t => t.Tag), TagFiltering.Filter);
        Filter.List<Content.Authors.Author, Authors.AuthorListFilterInputType>("authors", a => a.Bylines.Select(b => b.Author), Authors.AuthorFiltering.Filter);
    }

    private static void Text(Expression<Func<Article, string?>> field, bool ordered = false)
    {
        Filter.String(NameOf(field), field);
        if (ordered)
            Sort.By(NameOf(field), field);
    }

    private static void Time(Expression<Func<Article, DateTime?>> field)
    {
        Filter.DateTime(NameOf(field), field);
        Sort.By(NameOf(field), field);
    }

    private static string NameOf(LambdaExpression field) =>
        ArticleFields.NameOf(((MemberExpression)(field.Body is UnaryExpression convert ? convert.Operand : field.Body)).Member.Name);

    private static readonly KeysetOrder<Article> NewestFirst = new([(Key(a => a.PublishedAt), true), (Key(a => a.Id), true)]);
    private static readonly KeysetOrder<Article> ByPublicationTime = new([(Key(a => a.PublishedAt), false), (Key(a => a.Id), false)]);
    private static readonly KeysetOrder<Article> ByPublicationTimeDescending = new([(Key(a => a.PublishedAt), true), (Key(a => a.Id), false)]);

    /// <summary>
    /// The orders whose pages go by keys (publication time, then id): the default newest first, and
    /// <c>order: [{ publishedAt: ASC | DESC }]</c> (with the id ascending, as <see cref="Apply"/> orders); null for others.
    /// </summary>
    public static KeysetOrder<Article>? Keyset(IEnumerable<object?>? order)
    {
        var clauses = (order ?? []).Select(c => c as IDictionary<string, object?>).ToList();
        if (clauses.Count == 0)
            return NewestFirst;
        if (clauses is not [{ } only] || only.Where(f => f.Value is not null).ToList() is not [var (name, value)] || name != NameOf(Key(a => a.PublishedAt)))
            return null;
        return value switch
        {
            SortDirection.Asc => ByPublicationTime,
            SortDirection.Desc => ByPublicationTimeDescending,
            _ => null,
        };
    }

    private static LambdaExpression Key<TKey>(Expression<Func<Article, TKey>> key) => key;

    /// <summary>A client's filter at <paramref name="now"/>, which tells scheduled articles from published ones.</summary>
    public static Expression<Func<Article, bool>> Predicate(object where, DateTime now) =>
        Filter.ToPredicate(ScheduledStatusFilter.Rewrite(where, now));

    public static IQueryable<Article> Where(IQueryable<Article> articles, object? where, DateTime now) =>
        where is null ? articles : articles.Where(Predicate(where, now));

    /// <summary>Newest first unless the client orders otherwise; the id keeps pages stable among equal times.</summary>
    public static IQueryable<Article> Apply(
        IQueryable<Article> articles, object? where, IEnumerable<object?>? order, DateTime now)
    {
        articles = Where(articles, where, now);
        if (order is null || !order.Any())
            return articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
        return Sort.Apply(articles, order, a => a.Id, SortDirection.Asc);
    }
}

public sealed class ArticleFilterInputType() : FilterInputType<Article>("ArticleFilterInput", ArticleFiltering.Filter, typeof(ArticleFilterInputType));

public sealed class ArticleSortInputType() : SortInputType<Article>("ArticleSortInput", ArticleFiltering.Sort);

public sealed class ArticleStatusOperationFilterInputType() : EnumOperationFilterInputType<EnumerationGraphType<ArticleStatus>>("ArticleStatusOperationFilterInput");
