using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Content.Articles;
using T4K3News.Content.Authors;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Authors;

public sealed class AuthorType : AutoRegisteringObjectGraphType<Author>
{
    public const string TypeName = "Author";

    public AuthorType() : base(a => a.Id)
    {
        this.ImplementNode(TypeName, author => author.Id);
        Description = "A person articles are credited to.";

        Field<ArticlesConnectionType>("articles")
            .Description("Articles crediting this author that the caller may see, newest first unless ordered otherwise.")
            .PagingArguments()
            .Argument<ArticleFilterInputType>("where")
            .Argument<ListGraphType<NonNullGraphType<ArticleSortInputType>>>("order")
            .Resolve(context => context.RequestServices!.GetRequiredService<AuthorArticles>().Load(context, context.Source.Id));
    }
}

public sealed class AuthorsEdgeType() : EdgeType<Author, AuthorType>("AuthorsEdge");

public sealed class AuthorsConnectionType() : ConnectionType<Author, AuthorType, AuthorsEdgeType>("AuthorsConnection");

/// <summary>One credit on an article: who, and what they did.</summary>
public sealed record Byline(Author Author, BylineRole Role);

public sealed class BylineType : ObjectGraphType<Byline>
{
    public BylineType()
    {
        Name = "Byline";
        Description = "One credit on an article: who, and what they did.";
        Field<NonNullGraphType<AuthorType>>("author").Resolve(c => c.Source.Author);
        Field<NonNullGraphType<BylineRoleType>>("role").Resolve(c => c.Source.Role);
    }
}

public sealed class BylineRoleType : EnumerationGraphType<BylineRole>
{
    public BylineRoleType()
    {
        Name = "BylineRole";
        Description = "What an author did for an article.";
    }
}

/// <summary>The article's fields for its credits and corrections.</summary>
public static class ArticleCreditFields
{
    public static void Register(ObjectGraphType<Article> article)
    {
        article.Field<NonNullGraphType<ListGraphType<NonNullGraphType<BylineType>>>>("authors")
            .Description("Who the article is credited to, in the editor's order.")
            .Resolve(c => c.RequestServices!.GetRequiredService<AuthorLoaders>().Bylines.Load(c.Source.Id));
        // Kept in the article's row: read with it, no loader.
        article.Field<NonNullGraphType<ListGraphType<NonNullGraphType<Corrections.CorrectionType>>>>("corrections")
            .Description("Corrections, clarifications and updates, oldest first.")
            .Resolve(c => c.Source.Corrections);
    }
}
