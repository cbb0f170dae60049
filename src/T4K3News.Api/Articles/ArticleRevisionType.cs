using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

public sealed class ArticleRevisionType : ObjectGraphType<ArticleRevision>
{
    public const string TypeName = "ArticleRevision";

    public ArticleRevisionType()
    {
        this.ImplementNode(TypeName, revision => checked((int)revision.Id));
        Description = "The article as it stood after one successful write (editors only).";
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("author").Description("The name of the token that wrote it, or \"import\".").Resolve(c => c.Source.Author);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("changedFields")
            .Description("The fields this write changed, as the schema names them; [\"created\"] for the first revision.")
            .Resolve(c => c.Source.ChangedFields);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => ArticleSnapshot.FromJson(c.Source.Snapshot).Title ?? "");
        Field<NonNullGraphType<StringGraphType>>("snapshot").Description("The full snapshot as JSON.").Resolve(c => c.Source.Snapshot);
    }
}

public sealed class ArticleRevisionsEdgeType() : EdgeType<ArticleRevision, ArticleRevisionType>("ArticleRevisionsEdge");

public sealed class ArticleRevisionsConnectionType() : ConnectionType<ArticleRevision, ArticleRevisionType, ArticleRevisionsEdgeType>("ArticleRevisionsConnection");

public static class ArticleRevisionFields
{
    public static void Register(ObjectGraphType<Article> article) =>
        article.Field<ArticleRevisionsConnectionType>("revisions")
            .Description("Every stored revision, newest first (editors only).")
            .PagingArguments()
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Editor);
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var articleId = context.Source.Id;
                return await context.ToConnectionAsync(databases,
                    db => db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == articleId).OrderByDescending(r => r.Version),
                    context.CancellationToken);
            });
}
