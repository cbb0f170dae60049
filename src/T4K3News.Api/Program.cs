using T4K3News.Api;
using T4K3News.Api.Articles;
using T4K3News.Api.Authors;
using T4K3News.Api.Auth;
using T4K3News.Api.Caching;
using T4K3News.Api.Commands;
using T4K3News.Api.Hosting;
using T4K3News.Api.PersistedQueries;
using T4K3News.Api.Previews;
using T4K3News.Api.Reading;
using T4K3News.Api.Search;
using T4K3News.Api.Subscriptions;
using T4K3News.Api.Syndication;
using T4K3News.Api.Tags;
using T4K3News.Api.Webhooks;
using T4K3News.Content;
using T4K3News.GraphQLServer;

var isCommand = AppCommands.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
builder.Services
    .AddContent()
    .AddContentSchema()
    .AddArticles()
    .AddTags()
    .AddAuthors()
    .AddSearch()
    .AddPlannedReads()
    .AddTokenAuthentication()
    .AddPreviews()
    .AddPersistedQueries()
    .AddArticleChangeFeed()
    .AddWebhooks()
    .AddResponseCache()
    .AddSyndication()
    .AddEndpointProtection(builder.Configuration)
    .AddHealthEndpoints()
    .AddObservability(builder.Configuration);

var app = builder.Build();
var stopping = app.Lifetime.ApplicationStopping;
if (isCommand)
    return await AppCommands.RunAsync(app, args, stopping);
if (!ProductionSettings.Check(app))
    return ProductionSettings.ConfigurationError;
if (!await DatabaseStartup.PrepareAsync(app, stopping))
    return 1;

app.UseForwardedClientAddresses();
app.UseCors();
app.UseRateLimitedAuthentication();
app.MapHealthEndpoints();
app.MapGraphQLServer("/graphql").RequireRateLimitedAuthentication();
app.MapSyndication();
await app.RunAsync();
return 0;

public partial class Program;
