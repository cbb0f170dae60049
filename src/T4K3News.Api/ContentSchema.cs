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
        RegisterType(typeof(ValidationErrorType));
        RegisterType(typeof(NotFoundErrorType));
        RegisterType(typeof(ConcurrencyErrorType));
        RegisterType(typeof(SlugTakenErrorType));
        RegisterType(typeof(InvalidStatusErrorType));
        RegisterType(typeof(TagInUseErrorType));
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
        Search.ArticleSearchQueries.Register(this);
        AuditQueries.Register(this);
        Auth.TokenMutations.RegisterQueries(this);
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        ArticleMutations.Register(this);
        TagMutations.Register(this);
        Auth.TokenMutations.Register(this);
    }
}
