using GraphQL;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Articles;

public static class ArticleServices
{
    public static IServiceCollection AddArticles(this IServiceCollection services) => services
        .AddScoped<ArticleAccess>()
        .AddScoped<ArticleLoaders>()
        .AddNode(ArticleType.TypeName, (context, key) => Loaders(context).ById.Load(key))
        .AddNode(ArticleRevisionType.TypeName, (context, key) => Loaders(context).Revisions.Load(key))
        .AddNode(PublicationType.TypeName, (context, key) => Loaders(context).Publications.Load(key));

    private static ArticleLoaders Loaders(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ArticleLoaders>();
}
