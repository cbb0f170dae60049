namespace T4K3News.Api.Subscriptions;

public static class SubscriptionServices
{
    /// <summary>The database change feed that subscriptions listen to, one LISTEN connection per instance.</summary>
    public static IServiceCollection AddArticleChangeFeed(this IServiceCollection services) => services
        .AddSingleton<ArticleChangeFeed>()
        .AddSingleton<PublishedArticleFeed>()
        .AddHostedService(provider => provider.GetRequiredService<ArticleChangeFeed>());
}
