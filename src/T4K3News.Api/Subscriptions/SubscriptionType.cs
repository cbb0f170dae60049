using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Subscriptions;

public sealed class SubscriptionType : ObjectGraphType
{
    private static readonly TimeSpan FeedStartTimeout = TimeSpan.FromSeconds(10);

    public SubscriptionType()
    {
        Name = "Subscription";
        Field<ArticleChangeType>("articleChanged")
            .Description("Every committed write to an article, from any server instance (editors only; over the WebSocket transport). With id, only that article's.")
            .Argument<IdGraphType>("id")
            .ResolveStreamAsync(async context =>
            {
                context.RequireRole(Roles.Editor);
                int? only = null;
                if (context.GetArgument<string?>("id") is { } id)
                    only = GlobalId.TryDecode(id, out var type, out var key) && type == ArticleType.TypeName
                        ? key
                        : throw new ExecutionError($"'{id}' is not an article id.") { Code = ErrorCodes.InvalidId };

                var feed = context.RequestServices!.GetRequiredService<ArticleChangeFeed>();
                if (await Task.WhenAny(feed.Listening, Task.Delay(FeedStartTimeout, context.CancellationToken)) != feed.Listening)
                    throw new ExecutionError("Live changes are unavailable right now; try again shortly.") { Code = ErrorCodes.SubscriptionsUnavailable };
                return feed.Of(only);
            });
        PublishedArticleSubscription.Register(this);
    }
}

public sealed class ArticleChangeType : ObjectGraphType<ArticleChange>
{
    public ArticleChangeType()
    {
        Name = "ArticleChange";
        Description = "A committed write to an article.";
        Field<NonNullGraphType<IdGraphType>>("articleId").Resolve(c => GlobalId.Encode(ArticleType.TypeName, c.Source.ArticleId));
        Field<NonNullGraphType<IntGraphType>>("version").Description("The article's version after the write.").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("changedFields")
            .Description("As in the article's revisions; [\"created\"] for a new article, [\"deleted\"] for a deleted one.")
            .Resolve(c => c.Source.ChangedFields);
        Field<NonNullGraphType<StringGraphType>>("author").Description("The token name (or 'import') that wrote it.").Resolve(c => c.Source.Author);
        Field<NonNullGraphType<BooleanGraphType>>("deleted").Resolve(c => c.Source.Deleted);
        Field<ArticleType>("article")
            .Description("The article as it is now; null once deleted.")
            .Resolve(c => c.RequestServices!.GetRequiredService<ArticleLoaders>().ById.Load(c.Source.ArticleId));
    }
}
