using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.GraphQLServer;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Tags;

public sealed class TagType : AutoRegisteringObjectGraphType<Tag>
{
    public const string TypeName = "Tag";

    public TagType() : base(t => t.Id)
    {
        this.ImplementNode(TypeName, tag => tag.Id);
        Description = "A subject articles are filed under.";

        Field<NonNullGraphType<IntGraphType>>("articleCount")
            .Description("How many published articles carry this tag.")
            .Resolve(c => c.RequestServices!.GetRequiredService<TagLoaders>().PublishedArticleCounts.Load(c.Source.Id));
        Field<ArticlesConnectionType>("articles")
            .Description("Articles with this tag that the caller may see, newest first unless ordered otherwise.")
            .PagingArguments()
            .Argument<ArticleFilterInputType>("where")
            .Argument<ListGraphType<NonNullGraphType<ArticleSortInputType>>>("order")
            .Resolve(context => context.RequestServices!.GetRequiredService<TagArticles>().Load(context, context.Source.Id));
    }
}

public sealed class TagsEdgeType() : EdgeType<Tag, TagType>("TagsEdge");

public sealed class TagsConnectionType() : ConnectionType<Tag, TagType, TagsEdgeType>("TagsConnection");
