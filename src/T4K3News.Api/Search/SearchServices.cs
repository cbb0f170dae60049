namespace T4K3News.Api.Search;

public static class SearchServices
{
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.TextSearchConfiguration), "Search:TextSearchConfiguration must name a text-search configuration.")
            .Validate(o => o.MaxQueryLength is >= 1 and <= 10_000, "Search:MaxQueryLength must be between 1 and 10000.")
            .Validate(o => o.MaxTagFacets is >= 1 and <= 1_000, "Search:MaxTagFacets must be between 1 and 1000.")
            .Validate(o => o.MaxSimilarArticles is >= 1 and <= 50, "Search:MaxSimilarArticles must be between 1 and 50.")
            .ValidateOnStart();
        return services
            .AddSingleton<SearchIndex>()
            .AddHostedService(provider => provider.GetRequiredService<SearchIndex>())
            .AddSingleton<ArticleSearch>()
            .AddSingleton<GraphQLServer.IRootFieldPlanner, SearchPlanner>()
            .AddScoped<SimilarArticleLoader>();
    }
}
