using GraphQL;
using GraphQL.Types;
using T4K3News.Api.GraphQL;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;
using T4K3News.Content.Publications;

namespace T4K3News.Api.Articles;

public sealed class ArticleType : AutoRegisteringObjectGraphType<Article>
{
    public const string TypeName = "Article";

    public ArticleType()
        : base(
            a => a.Id, a => a.PublicationId, a => a.Publication, a => a.HeroImageAltText, a => a.HeroImageCaption,
            a => a.SourceFile, a => a.SourceHash, a => a.ImportedVersion,
            a => a.Takeaways, a => a.Quotes, a => a.Highlights, a => a.Callouts, a => a.ArticleTags, a => a.RelatedArticles)
    {
        this.ImplementNode(TypeName, article => article.Id);
        Description = "A news article: its text, its ordered parts and where it stands in the publishing workflow.";

        Field<HeroImageType>("heroImage")
            .Description("The image at the top of the article; null when it has none.")
            .Resolve(c => c.Source.HeroImageAltText is null && c.Source.HeroImageCaption is null ? null : c.Source);
        Field<NonNullGraphType<PublicationType>>("publication").Resolve(c => Loaders(c).Publications.Load(c.Source.PublicationId));
        // The ordered lists are columns of the article's own row: no loader.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TakeawayType>>>>("takeaways")
            .Description("Key takeaways, in order.")
            .Resolve(c => c.Source.Takeaways);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuoteType>>>>("quotes")
            .Description("Quotes with their editorial context, in order.")
            .Resolve(c => c.Source.Quotes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HighlightType>>>>("highlights")
            .Description("Highlights, in order.")
            .Resolve(c => c.Source.Highlights);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CalloutType>>>>("callouts")
            .Description("Titled boxes such as a \"rising risks\" box, in order.")
            .Resolve(c => c.Source.Callouts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TagType>>>>("tags")
            .Description("The article's tags, by name.")
            .Resolve(c => Loaders(c).Tags.Load(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArticleType>>>>("relatedArticles")
            .Description("Related articles the caller may see, in the editor's order.")
            .Resolve(c => Loaders(c).Related.Load(c.Source.Id));
        ArticleRevisionFields.Register(this);
    }

    private static ArticleLoaders Loaders(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ArticleLoaders>();
}

public sealed class HeroImageType : ObjectGraphType<Article>
{
    public HeroImageType()
    {
        Name = "HeroImage";
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

public sealed class TakeawayType : AutoRegisteringObjectGraphType<Takeaway>
{
    public TakeawayType() => Description = "One key takeaway.";
}

public sealed class QuoteType : AutoRegisteringObjectGraphType<Quote>
{
    public QuoteType() =>
        Description = "A quoted sentence; speaker is known only when the text names one, context is the editor's line about it.";
}

public sealed class HighlightType : AutoRegisteringObjectGraphType<Highlight>
{
    public HighlightType() => Description = "One highlight.";
}

public sealed class CalloutType : AutoRegisteringObjectGraphType<Callout>
{
    public CalloutType() => Description = "A titled box beside the article.";
}

public sealed class ArticlesEdgeType() : EdgeType<Article, ArticleType>("ArticlesEdge");

public sealed class ArticlesConnectionType() : ConnectionType<Article, ArticleType, ArticlesEdgeType>("ArticlesConnection");
