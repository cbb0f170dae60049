using T4K3News.GraphQLServer;

namespace T4K3News.Api.Authors;

public static class AuthorServices
{
    public static IServiceCollection AddAuthors(this IServiceCollection services) => services
        .AddScoped<AuthorLoaders>()
        .AddScoped<AuthorArticles>()
        .AddNode(AuthorType.TypeName, (context, key) => context.RequestServices!.GetRequiredService<AuthorLoaders>().ById.Load(key));
}
