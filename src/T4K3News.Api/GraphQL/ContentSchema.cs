using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Api.Tags;

namespace T4K3News.Api.GraphQL;

public sealed class ContentSchema : Schema
{
    public ContentSchema(IServiceProvider services, QueryType query) : base(services)
    {
        Query = query;
        RegisterType(typeof(ArticleType));
        RegisterType(typeof(TagType));
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
    }
}
