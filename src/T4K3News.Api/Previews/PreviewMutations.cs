using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.Api.Auth;
using T4K3News.Api.Editing;
using T4K3News.Content;
using T4K3News.Content.Editing;
using T4K3News.Content.Previews;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Previews;

/// <summary>Draft preview links: editors create and revoke them; whoever holds one reads its article (see <see cref="PreviewTokenAuthentication"/>).</summary>
public static class PreviewMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreatePreviewLinkPayloadType>("createPreviewLink")
            .Description("A link that shows one article in any status to whoever has it, until it expires or is revoked; its token is in the payload, shown only this once (editors only).")
            .Argument<NonNullGraphType<CreatePreviewLinkInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreatePreviewLinkInput>("input");
                return await context.RunAsync(Roles.Editor, input.ArticleId, actor =>
                    MutationRunner.TryDecodeId(input.ArticleId, ArticleType.TypeName, out var articleId)
                        ? Links(context).CreateAsync(articleId, input.ExpiresInHours, actor, context.CancellationToken)
                        : Task.FromResult(EditResult<IssuedPreviewLink>.Failure(MutationRunner.UnknownId(input.ArticleId, ArticleType.TypeName))));
            });

        mutation.Field<RevokePreviewLinkPayloadType>("revokePreviewLink")
            .Description("Revokes a preview link by its id; its token stops working at once (editors only).")
            .Argument<NonNullGraphType<RevokePreviewLinkInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RevokePreviewLinkInput>("input");
                return await context.RunAsync(Roles.Editor, input.Id, _ =>
                    MutationRunner.TryDecodeId(input.Id, PreviewLinkType.TypeName, out var id)
                        ? Links(context).RevokeAsync(id, context.CancellationToken)
                        : Task.FromResult(EditResult<PreviewLink>.Failure(MutationRunner.UnknownId(input.Id, PreviewLinkType.TypeName))));
            });
    }

    /// <summary>A preview link by its global id, for editors; nobody else sees one.</summary>
    public static async Task<object?> LoadAsync(IResolveFieldContext context, int id)
    {
        if (context.User?.IsInRole(Roles.Editor) != true)
            return null;
        var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
        await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
        return await db.PreviewLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, context.CancellationToken);
    }

    private static PreviewLinks Links(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<PreviewLinks>();
}

public static class ArticlePreviewLinkFields
{
    public static void Register(ObjectGraphType<Content.Articles.Article> article) =>
        article.Field<ListGraphType<NonNullGraphType<PreviewLinkType>>>("previewLinks")
            .Description("The article's live preview links (not expired, not revoked), newest first, so that an editor can see who may read the draft and revoke a link; their tokens are never shown again (editors only).")
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Editor);
                return await context.RequestServices!.GetRequiredService<PreviewLinks>().LiveOfAsync(context.Source.Id, context.CancellationToken);
            });
}

public sealed record CreatePreviewLinkInput
{
    public string ArticleId { get; init; } = "";
    public int? ExpiresInHours { get; init; }
}

public sealed record RevokePreviewLinkInput
{
    public string Id { get; init; } = "";
}

public sealed class PreviewLinkType : ObjectGraphType<PreviewLink>
{
    public const string TypeName = "PreviewLink";

    public PreviewLinkType()
    {
        this.ImplementNode(TypeName, link => link.Id);
        Description = "A link that shows one article in any status while it lives (editors only); never its token.";
        Field<ArticleType>("article").Resolve(c => c.RequestServices!.GetRequiredService<ArticleLoaders>().ById.Load(c.Source.ArticleId));
        Field<NonNullGraphType<StringGraphType>>("createdBy").Description("The token name of the editor who created it.").Resolve(c => c.Source.CreatedBy);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeGraphType>>("expiresAt").Resolve(c => c.Source.ExpiresAt);
        Field<DateTimeGraphType>("revokedAt").Resolve(c => c.Source.RevokedAt);
    }
}

public sealed class CreatePreviewLinkInputType : InputObjectGraphType<CreatePreviewLinkInput>
{
    public CreatePreviewLinkInputType()
    {
        Name = "CreatePreviewLinkInput";
        Field<NonNullGraphType<IdGraphType>>("articleId");
        Field<IntGraphType>("expiresInHours").Description("How long the link lives: 1 to Previews:MaxHours (168); omitted: Previews:DefaultHours (24).");
    }
}

public sealed class RevokePreviewLinkInputType : InputObjectGraphType<RevokePreviewLinkInput>
{
    public RevokePreviewLinkInputType()
    {
        Name = "RevokePreviewLinkInput";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The preview link's id, from createPreviewLink's previewLink.");
    }
}

public sealed class CreatePreviewLinkErrorType() : ErrorUnionType("CreatePreviewLinkError", typeof(ValidationErrorType), typeof(NotFoundErrorType));

public sealed class RevokePreviewLinkErrorType() : ErrorUnionType("RevokePreviewLinkError", typeof(NotFoundErrorType));

public sealed class CreatePreviewLinkPayloadType : ObjectGraphType<MutationPayload<IssuedPreviewLink>>
{
    public CreatePreviewLinkPayloadType()
    {
        Name = "CreatePreviewLinkPayload";
        Field<PreviewLinkType>("previewLink").Description("The link; its id revokes it.").Resolve(c => c.Source.Value?.Link);
        Field<StringGraphType>("token").Description("Send it as 'X-Preview-Token: <token>'. It cannot be shown again.").Resolve(c => c.Source.Value?.Token);
        Field<StringGraphType>("url").Description("The front end's preview page for it (Previews:UrlTemplate).")
            .Resolve(c => c.Source.Value is { } issued ? c.RequestServices!.GetRequiredService<PreviewLinks>().UrlFor(issued) : null);
        Field<DateTimeGraphType>("expiresAt").Resolve(c => c.Source.Value?.Link.ExpiresAt);
        Field<ListGraphType<NonNullGraphType<CreatePreviewLinkErrorType>>>("errors").Resolve(c => c.Source.Errors);
    }
}

public sealed class RevokePreviewLinkPayloadType() : PayloadType<PreviewLink, PreviewLinkType, RevokePreviewLinkErrorType>("RevokePreviewLinkPayload", "previewLink");
