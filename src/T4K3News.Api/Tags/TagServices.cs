using T4K3News.GraphQLServer;

namespace T4K3News.Api.Tags;

public static class TagServices
{
    public static IServiceCollection AddTags(this IServiceCollection services) => services
        .AddScoped<TagLoaders>()
        .AddScoped<TagArticles>()
        .AddNode(TagType.TypeName, (context, key) => context.RequestServices!.GetRequiredService<TagLoaders>().ById.Load(key));
}
