using GraphQL;
using Microsoft.AspNetCore.Authentication;
using T4K3News.Api.Auth;
using T4K3News.Api.Articles;
using T4K3News.Api.GraphQL;
using T4K3News.Api.Hosting;
using T4K3News.Api.Ide;
using T4K3News.Api.Tags;
using T4K3News.Content;
using T4K3News.Content.Import;

var isCommand = CommandLine.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);

builder.Services.AddContent();
builder.Services.AddHttpContextAccessor();
builder.Services.AddAuthentication(BearerTokenAuthentication.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null);
builder.Services.AddScoped<ArticleAccess>();
builder.Services.AddScoped<ArticleLoaders>();
builder.Services.AddScoped<TagLoaders>();
builder.Services.AddScoped<TagArticles>();
builder.Services.AddSingleton<T4K3News.Api.Subscriptions.ArticleChangeFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<T4K3News.Api.Subscriptions.ArticleChangeFeed>());
builder.Services.AddSingleton<T4K3News.Api.Subscriptions.GraphQLWebSockets>();
builder.Services.AddOptions<GraphQLHttpOptions>().BindConfiguration(GraphQLHttpOptions.Section);
builder.Services.AddSingleton<GraphQLHttpEndpoint>();
builder.Services.AddSingleton<T4K3News.Api.PersistedQueries.PersistedQueryStore>();
builder.Services.AddEndpointProtection(builder.Configuration);
builder.Services.AddHealthEndpoints();
GlobalSwitches.EnableReadDescriptionFromXmlDocumentation = true; // the entities' doc comments are the schema's descriptions
builder.Services.AddGraphQL(graphQL => graphQL
    .AddSchema<ContentSchema>()
    .AddSystemTextJson()
    .AddGraphTypes(typeof(ContentSchema).Assembly)
    .AddErrorInfoProvider<SafeErrorInfoProvider>()
    .AddValidationRule<T4K3News.Api.GraphQL.Limits.DocumentLimitsRule>()
    .AddValidationRule<T4K3News.Api.GraphQL.Limits.IntrospectionSwitchRule>()
    .AddValidationRule<T4K3News.Api.GraphQL.Limits.InputLimitsRule>()
    .AddComplexityAnalyzer((complexity, services) =>
        T4K3News.Api.GraphQL.Limits.CostModel.Configure(complexity, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphQLHttpOptions>>().Value)));

var app = builder.Build();
var stopping = app.Lifetime.ApplicationStopping;

if (isCommand)
    return await CommandLine.RunAsync(app, args, stopping);

if (!await DatabaseStartup.ConnectAsync(app, stopping))
    return 1;

var import = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value;
if (import.OnStartup)
    await DatabaseStartup.ImportSeedsAsync(app.Services, RepositoryPaths.Resolve(app.Environment.ContentRootPath, import.SeedsPath, mustExist: true), stopping);

app.UseForwardedClientAddresses();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.MapBananaCakePop();
app.MapHealthEndpoints();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
app.Map("/graphql", (HttpContext http, GraphQLHttpEndpoint endpoint, T4K3News.Api.Subscriptions.GraphQLWebSockets sockets) =>
        http.WebSockets.IsWebSocketRequest ? sockets.HandleAsync(http) : endpoint.HandleAsync(http))
    .RequireRateLimiting(EndpointProtection.GraphQLPolicy);

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
        app.Logger.LogInformation("GraphQL endpoint and Banana Cake Pop: {Url}/graphql", url.TrimEnd('/'));
});

await app.RunAsync();
return 0;

public partial class Program;
