using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

public static class ArticleQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<ArticleType>("article")
            .Description("The article with this slug (in any case), or with this slug before a rename, if the caller may see it (resolveSlug tells which).")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async context =>
            {
                var (databases, access) = Services(context);
                var slug = context.GetArgument<string>("slug");
                await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
                return (await ArticleSlugs.ResolveAsync(db, access, slug, context.CancellationToken, previewed: true))?.Article;
            });

        ArticleSlugs.Register(query);

        query.Field<ArticlesConnectionType>("articles")
            .Description("Articles the caller may see, newest first unless ordered otherwise.")
            .PagingArguments()
            .Argument<ArticleFilterInputType>("where")
            .Argument<ListGraphType<NonNullGraphType<ArticleSortInputType>>>("order")
            .ResolveAsync(async context =>
            {
                var (databases, access) = Services(context);
                var where = context.GetArgument<object?>("where");
                var order = context.GetArgument<List<object?>?>("order");
                return await context.ToKeysetConnectionAsync(databases,
                    db => ArticleFiltering.Where(access.Articles(db).AsNoTracking(), where),
                    articles => ArticleFiltering.Apply(articles, null, order),
                    ArticleFiltering.Keyset(order), context.CancellationToken);
            });
    }

    private static (IDbContextFactory<ContentDbContext>, ArticleAccess) Services(IResolveFieldContext context) =>
        (context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>(), context.RequestServices!.GetRequiredService<ArticleAccess>());
}
