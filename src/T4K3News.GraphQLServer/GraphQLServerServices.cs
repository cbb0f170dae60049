using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using T4K3News.GraphQLServer.Limits;

namespace T4K3News.GraphQLServer;

public static class GraphQLServerServices
{
    /// <summary>
    /// The schema <typeparamref name="TSchema"/> behind one executor, its limits (configuration section "GraphQL"), the
    /// node registry and both transports. The host adds its own graph types and services through <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddGraphQLServer<TSchema>(this IServiceCollection services, Action<IGraphQLBuilder> configure)
        where TSchema : Schema
    {
        services.AddOptions<GraphQLServerOptions>().BindConfiguration(GraphQLServerOptions.Section);
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton(provider => new ResponseCache(
            provider.GetRequiredService<IOptions<GraphQLServerOptions>>(), provider.GetRequiredService<IGraphQLTextSerializer>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System, provider.GetService<IResponseDependencies>()));
        services.AddSingleton<ParsedDocuments>();
        services.AddSingleton<GraphQLRequestExecutor>();
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddSingleton<GraphQLWebSockets>();
        services.AddGraphQL(graphQL =>
        {
            graphQL
                .AddSchema<TSchema>()
                .AddSystemTextJson()
                .AddGraphTypes(typeof(GraphQLServerServices).Assembly)
                .AddErrorInfoProvider<SafeErrorInfoProvider>()
                .AddExecutionStrategy<PlannedQueryExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
                .AddValidationRule<DocumentLimitsRule>()
                .AddValidationRule<IntrospectionSwitchRule>()
                .AddValidationRule<InputLimitsRule>()
                .AddComplexityAnalyzer((complexity, provider) =>
                    CostModel.Configure(complexity, provider.GetRequiredService<IOptions<GraphQLServerOptions>>().Value));
            configure(graphQL);
        });
        return services;
    }

    /// <summary>The IDE under <paramref name="path"/>/, and GraphQL over HTTP and over WebSocket at <paramref name="path"/>.</summary>
    public static IEndpointConventionBuilder MapGraphQLServer(this WebApplication app, string path = "/graphql")
    {
        app.MapBananaCakePop(path);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
                app.Logger.LogInformation("GraphQL endpoint and Banana Cake Pop: {Url}{Path}", url.TrimEnd('/'), path);
        });
        return app.Map(path, (HttpContext http, GraphQLHttpEndpoint endpoint, GraphQLWebSockets sockets) =>
            http.WebSockets.IsWebSocketRequest ? sockets.HandleAsync(http) : endpoint.HandleAsync(http));
    }
}
