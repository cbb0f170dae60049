using System.Reflection;
using GraphQL;
using GraphQL.Types;
using T4K3News.GraphQLServer;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;
using T4K3News.Content.Publications;

namespace T4K3News.Api.Articles;

/// <summary>An article as <see cref="Article"/> declares it, its doc comments the descriptions, with its links and revisions.</summary>
public sealed class ArticleType : AutoRegisteringObjectGraphType<Article>
{
    public const string TypeName = "Article";

    public ArticleType()
        : base(
            // The server's bookkeeping, and what the fields below show in another shape.
            a => a.Id, a => a.Status, a => a.PublicationId, a => a.Publication, a => a.HeroImageAltText, a => a.HeroImageCaption,
            a => a.SourceFile, a => a.SourceHash, a => a.ImportedVersion, a => a.ArticleTags, a => a.RelatedArticles, a => a.Bylines, a => a.Corrections)
    {
        this.ImplementNode(TypeName, article => article.Id);

        Field<NonNullGraphType<EnumerationGraphType<ArticleStatus>>>("status")
            .Description("Where the article stands in the workflow; SCHEDULED: published, with its publication time to come.")
            .Resolve(c => c.Source.StatusAt(c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));

        Field<HeroImageType>("heroImage")
            .Description("The image at the top of the article; null when it has none.")
            .Resolve(c => c.Source.HeroImageAltText is null && c.Source.HeroImageCaption is null ? null : c.Source);
        Field<NonNullGraphType<PublicationType>>("publication").Resolve(c => Loaders(c).Publications.Load(c.Source.PublicationId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TagType>>>>("tags")
            .Description("The article's tags, by name.")
            .Resolve(c => Loaders(c).Tags.Load(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArticleType>>>>("relatedArticles")
            .Description("Related articles the caller may see, in the editor's order.")
            .Resolve(c => Loaders(c).Related.Load(c.Source.Id));
        Authors.ArticleCreditFields.Register(this);
        ArticleRevisionFields.Register(this);
        Previews.ArticlePreviewLinkFields.Register(this);
        Syndication.ArticleLinkFields.Register(this);
        Search.SimilarArticleFields.Register(this);
    }

    /// <summary>The ordered lists' items are objects (takeaways { text }), read from the article's own row: no loader.</summary>
    protected override TypeInformation GetTypeInformation(MemberInfo memberInfo)
    {
        var type = base.GetTypeInformation(memberInfo);
        if (type.IsList && type.Type.IsClass && type.Type != typeof(string))
            type.GraphType = typeof(AutoRegisteringObjectGraphType<>).MakeGenericType(type.Type);
        return type;
    }

    private static ArticleLoaders Loaders(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ArticleLoaders>();
}

public sealed class HeroImageType : ObjectGraphType<Article>
{
    public HeroImageType()
    {
        Name = "HeroImage";
        Description = "The image at the top of an article.";
        Field<StringGraphType>("altText").Description("Text for readers who cannot see the image.").Resolve(c => c.Source.HeroImageAltText);
        Field<StringGraphType>("caption").Resolve(c => c.Source.HeroImageCaption);
    }
}

public sealed class PublicationType : AutoRegisteringObjectGraphType<Publication>
{
    public const string TypeName = "Publication";

    public PublicationType() : base(p => p.Id)
    {
        this.ImplementNode(TypeName, publication => publication.Id);
        Description = "The site an article appears on.";
    }
}

public sealed class ArticlesEdgeType() : EdgeType<Article, ArticleType>("ArticlesEdge");

public sealed class ArticlesConnectionType() : ConnectionType<Article, ArticleType, ArticlesEdgeType>("ArticlesConnection");
