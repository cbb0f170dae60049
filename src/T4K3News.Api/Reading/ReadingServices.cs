using T4K3News.GraphQLServer;

namespace T4K3News.Api.Reading;

public static class ReadingServices
{
    /// <summary>Front ends' reads planned into one SQL statement per root field (GraphQL:PlannedReads switches it off).</summary>
    public static IServiceCollection AddPlannedReads(this IServiceCollection services) => services
        .AddSingleton<ContentReadSource>()
        .AddSingleton<IRootFieldPlanner, ContentReadPlanner>();
}
