using T4K3News.GraphQLServer;

namespace T4K3News.Api.Caching;

public static class ResponseCacheServices
{
    /// <summary>
    /// The server kit's response cache for anonymous queries (on unless <c>GraphQL:ResponseCache</c> is false): what
    /// each answer depends on, and its invalidation from the change feed and at the times scheduled articles come due.
    /// </summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services) => services
        .AddSingleton<IResponseDependencies, ContentResponseDependencies>()
        .AddSingleton<ResponseCacheInvalidation>()
        .AddSingleton<IResponseCacheInvalidation>(provider => provider.GetRequiredService<ResponseCacheInvalidation>())
        .AddHostedService(provider => provider.GetRequiredService<ResponseCacheInvalidation>());
}
