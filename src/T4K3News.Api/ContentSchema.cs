using GraphQL;
using GraphQL.Types;
using T4K3News.GraphQLServer;
using T4K3News.Api.Articles;
using T4K3News.Api.Editing;
using T4K3News.Api.Audit;
using T4K3News.Api.Tags;

namespace T4K3News.Api;

public static class ContentSchemaServices
{
    /// <summary>The newsroom's schema on the GraphQL server kit, with every graph type of this host.</summary>
    public static IServiceCollection AddContentSchema(this IServiceCollection services)
    {
        // The entities' doc comments are the schema's descriptions: one source for both.
        GlobalSwitches.EnableReadDescriptionFromXmlDocumentation = true;
        return services.AddGraphQLServer<ContentSchema>(graphQL => graphQL.AddGraphTypes(typeof(ContentSchema).Assembly));
    }
}

public sealed class ContentSchema : Schema
{
    public ContentSchema(IServiceProvider services, QueryType query, MutationType mutation, Subscriptions.SubscriptionType subscription) : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        RegisterType(typeof(ArticleType));
        RegisterType(typeof(TagType));
        RegisterType(typeof(Authors.AuthorType));
        RegisterType(typeof(ValidationErrorType));
        RegisterType(typeof(NotFoundErrorType));
        RegisterType(typeof(ConcurrencyErrorType));
        RegisterType(typeof(SlugTakenErrorType));
        RegisterType(typeof(InvalidStatusErrorType));
        RegisterType(typeof(TagInUseErrorType));
        RegisterType(typeof(Authors.AuthorInUseErrorType));
    }
}

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        NodeQueries.Register(this);
        ArticleQueries.Register(this);
        TagQueries.Register(this);
        Authors.AuthorQueries.Register(this);
        Search.ArticleSearchQueries.Register(this);
        AuditQueries.Register(this);
        Auth.TokenMutations.RegisterQueries(this);
        Webhooks.WebhookQueries.Register(this);
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        ArticleMutations.Register(this);
        TagMutations.Register(this);
        Authors.AuthorMutations.Register(this);
        Corrections.CorrectionMutations.Register(this);
        Auth.TokenMutations.Register(this);
        Previews.PreviewMutations.Register(this);
        Webhooks.WebhookMutations.Register(this);
    }
}
