using System.ComponentModel;
using System.Reflection;
using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Editing;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Articles;

public static class ArticleMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreateArticlePayloadType>("createArticle")
            .Description("Creates a draft. Tags and related articles are given by id.")
            .Argument<NonNullGraphType<CreateArticleInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreateArticleInput>("input");
                return await context.RunAsync(Roles.Editor, input.Slug ?? input.Title, actor =>
                {
                    var (tagIds, relatedIds, idErrors) = DecodeIds(input.TagIds, input.RelatedArticleIds);
                    var bylines = Authors.BylineInput.Decode(input.Bylines, idErrors);
                    return Editor(context).CreateAsync(
                        article => Write(input, article, tagIds, relatedIds, bylines), actor, context.CancellationToken,
                        idErrors, deriveSlug: input.Slug is null);
                });
            });

        mutation.Field<UpdateArticlePayloadType>("updateArticle")
            .Description("Changes only the fields given; lists (takeaways, quotes, highlights, callouts, tags, related articles, bylines) are replaced whole when given, which is also how they are reordered. An empty string clears an optional text.")
            .Argument<NonNullGraphType<UpdateArticleInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<UpdateArticleInput>("input");
                return await context.RunAsync(Roles.Editor, input.Id, actor =>
                {
                    var (tagIds, relatedIds, idErrors) = DecodeIds(input.TagIds, input.RelatedArticleIds);
                    var bylines = Authors.BylineInput.Decode(input.Bylines, idErrors);
                    if (!MutationRunner.TryDecodeId(input.Id, ArticleType.TypeName, out var id))
                        return Task.FromResult(EditResult<Article>.Failure(MutationRunner.UnknownId(input.Id, ArticleType.TypeName)));
                    return Editor(context).ChangeAsync(id, input.ExpectedVersion, actor, article =>
                    {
                        Write(input, article, tagIds, relatedIds, bylines);
                        return [];
                    }, context.CancellationToken, idErrors);
                });
            });

        mutation.Field<PublishArticlePayloadType>("publishArticle")
            .Description("Publishes now, or at a future time: a scheduled article becomes visible by itself when its time comes.")
            .Argument<NonNullGraphType<PublishArticleInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<PublishArticleInput>("input");
                return await OnArticle(context, input.Id, Roles.Editor,
                    (id, actor) => Editor(context).PublishAsync(id, input.ExpectedVersion, input.At, actor, context.CancellationToken));
            });

        RegisterStep<UnpublishArticlePayloadType, UnpublishArticleInputType>(mutation, "unpublishArticle", "Takes a published or scheduled article back to draft.", Roles.Editor,
            (editor, id, input, actor, ct) => editor.UnpublishAsync(id, input.ExpectedVersion, actor, ct));
        RegisterStep<ArchiveArticlePayloadType, ArchiveArticleInputType>(mutation, "archiveArticle", "Archives an article: readers no longer see it.", Roles.Editor,
            (editor, id, input, actor, ct) => editor.ArchiveAsync(id, input.ExpectedVersion, actor, ct));
        RegisterStep<RestoreArticlePayloadType, RestoreArticleInputType>(mutation, "restoreArticle", "Brings an archived article back as a draft.", Roles.Editor,
            (editor, id, input, actor, ct) => editor.RestoreFromArchiveAsync(id, input.ExpectedVersion, actor, ct));
        RegisterStep<DeleteArticlePayloadType, DeleteArticleInputType>(mutation, "deleteArticle", "Deletes an article and its revisions permanently (admins only).", Roles.Admin,
            (editor, id, input, actor, ct) => editor.DeleteAsync(id, input.ExpectedVersion, actor, ct));

        mutation.Field<RestoreArticleRevisionPayloadType>("restoreArticleRevision")
            .Description("Brings back a revision's content, slug, tags and related articles as a new revision; the workflow status stays as it is.")
            .Argument<NonNullGraphType<RestoreArticleRevisionInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RestoreArticleRevisionInput>("input");
                return await OnArticle(context, input.ArticleId, Roles.Editor, (id, actor) =>
                    GlobalId.TryDecode(input.RevisionId, out var type, out var revisionId) && type == ArticleRevisionType.TypeName
                        ? Editor(context).RestoreRevisionAsync(id, revisionId, input.ExpectedVersion, actor, context.CancellationToken)
                        : Task.FromResult(EditResult<Article>.Failure(MutationRunner.UnknownId(input.RevisionId, ArticleRevisionType.TypeName))));
            });
    }

    private static void RegisterStep<TPayloadType, TInputType>(
        ObjectGraphType mutation, string name, string description, string role,
        Func<ArticleEditor, int, ArticleStepInput, string, CancellationToken, Task<EditResult<Article>>> step)
        where TPayloadType : IGraphType
        where TInputType : IGraphType =>
        mutation.Field<TPayloadType>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<ArticleStepInput>("input");
                return await OnArticle(context, input.Id, role, (id, actor) => step(Editor(context), id, input, actor, context.CancellationToken));
            });

    private static Task<MutationPayload<Article>> OnArticle(IResolveFieldContext context, string articleId, string role, Func<int, string, Task<EditResult<Article>>> write) =>
        context.RunAsync(role, articleId, actor => MutationRunner.TryDecodeId(articleId, ArticleType.TypeName, out var id)
            ? write(id, actor)
            : Task.FromResult(EditResult<Article>.Failure(MutationRunner.UnknownId(articleId, ArticleType.TypeName))));

    /// <summary>Writes an input onto an article: its fields by name (see <see cref="ArticleFields.Apply"/>), its tags, related articles and bylines by id.</summary>
    private static void Write(object input, Article article, List<int>? tagIds, List<int>? relatedIds, List<(int AuthorId, BylineRole Role)>? bylines)
    {
        ArticleFields.Apply(input, article);
        if (tagIds is not null)
            article.SetTags(tagIds);
        if (relatedIds is not null)
            article.SetRelatedArticles(relatedIds);
        if (bylines is not null)
            article.SetBylines(bylines);
    }

    private static (List<int>? TagIds, List<int>? RelatedIds, List<EditError> Errors) DecodeIds(List<string>? tagIds, List<string>? relatedIds)
    {
        var errors = new List<EditError>();
        List<int>? Decode(List<string>? ids, string typeName)
        {
            if (ids is null)
                return null;
            var keys = new List<int>();
            foreach (var id in ids)
            {
                if (MutationRunner.TryDecodeId(id, typeName, out var key))
                    keys.Add(key);
                else
                    errors.Add(MutationRunner.UnknownId(id, typeName));
            }

            return keys;
        }

        return (Decode(tagIds, TagType.TypeName), Decode(relatedIds, ArticleType.TypeName), errors);
    }

    private static ArticleEditor Editor(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<ArticleEditor>();
}

// The inputs are records, so that a client can only ever set what they declare (never an id, a version or the
// workflow's fields); their fields land on the article's fields of the same name (ArticleFields.Apply), and their GraphQL
// types are read from them. A field described nowhere here has the description of the article's field of its name.

public sealed record CreateArticleInput
{
    public string? Kicker { get; init; }
    public string Title { get; init; } = "";

    [Description("Lowercase words joined by hyphens. Without one, the slug is derived from the title: "
        + "transliterated to ASCII from any script, cut at a word boundary, -2, -3 … when taken "
        + "(article-1 … when nothing in it reads).")]
    public string? Slug { get; init; }

    public string Standfirst { get; init; } = "";
    public HeroImageInput? HeroImage { get; init; }
    public string? BodyHeading { get; init; }
    public string Body { get; init; } = "";
    public string? Analysis { get; init; }
    public string? ClosingLine { get; init; }
    public List<string>? Takeaways { get; init; }
    public List<Quote>? Quotes { get; init; }
    public List<string>? Highlights { get; init; }
    public List<Callout>? Callouts { get; init; }

    [Id]
    public List<string>? TagIds { get; init; }

    [Id]
    public List<string>? RelatedArticleIds { get; init; }

    [Description("Who the article is credited to, in this order; the same author in the same role again is dropped.")]
    public List<Authors.BylineInput>? Bylines { get; init; }
}

/// <summary>Every field but the id and version is optional: null leaves the field as it is.</summary>
public sealed record UpdateArticleInput
{
    [Id]
    public string Id { get; init; } = "";

    [Description("The version your change is based on.")]
    public int ExpectedVersion { get; init; }

    public string? Kicker { get; init; }
    public string? Title { get; init; }
    public string? Slug { get; init; }
    public string? Standfirst { get; init; }
    public HeroImageInput? HeroImage { get; init; }
    public string? BodyHeading { get; init; }
    public string? Body { get; init; }
    public string? Analysis { get; init; }
    public string? ClosingLine { get; init; }
    public List<string>? Takeaways { get; init; }
    public List<Quote>? Quotes { get; init; }
    public List<string>? Highlights { get; init; }
    public List<Callout>? Callouts { get; init; }

    [Id]
    public List<string>? TagIds { get; init; }

    [Id]
    public List<string>? RelatedArticleIds { get; init; }

    [Description("Who the article is credited to, in this order; the same author in the same role again is dropped.")]
    public List<Authors.BylineInput>? Bylines { get; init; }
}

/// <summary>Sets both texts of the hero image (a missing one is cleared).</summary>
public sealed record HeroImageInput
{
    public string? AltText { get; init; }
    public string? Caption { get; init; }
}

public sealed record PublishArticleInput
{
    public string Id { get; init; } = "";
    public int ExpectedVersion { get; init; }
    public DateTime? At { get; init; }
}

public sealed record ArticleStepInput
{
    public string Id { get; init; } = "";
    public int ExpectedVersion { get; init; }
}

public sealed record RestoreArticleRevisionInput
{
    public string ArticleId { get; init; } = "";
    public string RevisionId { get; init; } = "";
    public int ExpectedVersion { get; init; }
}

/// <summary>An article input's GraphQL type, read from its record; its nested records are input types of their own.</summary>
public abstract class ArticleInputType<TInput> : AutoRegisteringInputObjectGraphType<TInput>
{
    private static readonly Dictionary<Type, Type> Parts = new()
    {
        [typeof(HeroImageInput)] = typeof(AutoRegisteringInputObjectGraphType<HeroImageInput>),
        [typeof(Quote)] = typeof(QuoteInputType),
        [typeof(Callout)] = typeof(CalloutInputType),
        [typeof(Authors.BylineInput)] = typeof(Authors.BylineInputType),
    };

    protected override FieldType? CreateField(MemberInfo memberInfo)
    {
        var field = base.CreateField(memberInfo);
        if (field is not null)
            field.Description ??= typeof(Article).GetProperty(memberInfo.Name)?.Description();
        return field;
    }

    protected override TypeInformation GetTypeInformation(MemberInfo memberInfo)
    {
        var type = base.GetTypeInformation(memberInfo);
        if (Parts.TryGetValue(type.Type, out var graphType))
            type.GraphType = graphType;
        return type;
    }
}

public sealed class CreateArticleInputType : ArticleInputType<CreateArticleInput>;

public sealed class UpdateArticleInputType : ArticleInputType<UpdateArticleInput>;

public sealed class QuoteInputType : AutoRegisteringInputObjectGraphType<Quote>
{
    public QuoteInputType() => Name = "QuoteInput";
}

public sealed class CalloutInputType : AutoRegisteringInputObjectGraphType<Callout>
{
    public CalloutInputType() => Name = "CalloutInput";
}

public sealed class PublishArticleInputType : InputObjectGraphType<PublishArticleInput>
{
    public PublishArticleInputType()
    {
        Name = "PublishArticleInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<NonNullGraphType<IntGraphType>>("expectedVersion");
        Field<DateTimeGraphType>("at").Description("When readers see it; omitted means now, a future time schedules it.");
    }
}

public abstract class ArticleStepInputType : InputObjectGraphType<ArticleStepInput>
{
    protected ArticleStepInputType(string name)
    {
        Name = name;
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<NonNullGraphType<IntGraphType>>("expectedVersion");
    }
}

public sealed class UnpublishArticleInputType() : ArticleStepInputType("UnpublishArticleInput");

public sealed class ArchiveArticleInputType() : ArticleStepInputType("ArchiveArticleInput");

public sealed class RestoreArticleInputType() : ArticleStepInputType("RestoreArticleInput");

public sealed class DeleteArticleInputType() : ArticleStepInputType("DeleteArticleInput");

public sealed class RestoreArticleRevisionInputType : InputObjectGraphType<RestoreArticleRevisionInput>
{
    public RestoreArticleRevisionInputType()
    {
        Name = "RestoreArticleRevisionInput";
        Field<NonNullGraphType<IdGraphType>>("articleId");
        Field<NonNullGraphType<IdGraphType>>("revisionId");
        Field<NonNullGraphType<IntGraphType>>("expectedVersion");
    }
}

public sealed class CreateArticleErrorType() : ErrorUnionType("CreateArticleError", typeof(ValidationErrorType), typeof(SlugTakenErrorType), typeof(NotFoundErrorType));

public sealed class UpdateArticleErrorType() : ErrorUnionType("UpdateArticleError",
    typeof(ValidationErrorType), typeof(SlugTakenErrorType), typeof(NotFoundErrorType), typeof(ConcurrencyErrorType));

public sealed class PublishArticleErrorType() : ErrorUnionType("PublishArticleError",
    typeof(ValidationErrorType), typeof(NotFoundErrorType), typeof(ConcurrencyErrorType), typeof(InvalidStatusErrorType));

public sealed class UnpublishArticleErrorType() : ErrorUnionType("UnpublishArticleError", typeof(NotFoundErrorType), typeof(ConcurrencyErrorType), typeof(InvalidStatusErrorType));

public sealed class ArchiveArticleErrorType() : ErrorUnionType("ArchiveArticleError", typeof(NotFoundErrorType), typeof(ConcurrencyErrorType), typeof(InvalidStatusErrorType));

public sealed class RestoreArticleErrorType() : ErrorUnionType("RestoreArticleError", typeof(NotFoundErrorType), typeof(ConcurrencyErrorType), typeof(InvalidStatusErrorType));

public sealed class DeleteArticleErrorType() : ErrorUnionType("DeleteArticleError", typeof(NotFoundErrorType), typeof(ConcurrencyErrorType));

public sealed class RestoreArticleRevisionErrorType() : ErrorUnionType("RestoreArticleRevisionError",
    typeof(ValidationErrorType), typeof(SlugTakenErrorType), typeof(NotFoundErrorType), typeof(ConcurrencyErrorType));

public sealed class CreateArticlePayloadType() : PayloadType<Article, ArticleType, CreateArticleErrorType>("CreateArticlePayload", "article");

public sealed class UpdateArticlePayloadType() : PayloadType<Article, ArticleType, UpdateArticleErrorType>("UpdateArticlePayload", "article");

public sealed class PublishArticlePayloadType() : PayloadType<Article, ArticleType, PublishArticleErrorType>("PublishArticlePayload", "article");

public sealed class UnpublishArticlePayloadType() : PayloadType<Article, ArticleType, UnpublishArticleErrorType>("UnpublishArticlePayload", "article");

public sealed class ArchiveArticlePayloadType() : PayloadType<Article, ArticleType, ArchiveArticleErrorType>("ArchiveArticlePayload", "article");

public sealed class RestoreArticlePayloadType() : PayloadType<Article, ArticleType, RestoreArticleErrorType>("RestoreArticlePayload", "article");

public sealed class DeleteArticlePayloadType() : PayloadType<Article, ArticleType, DeleteArticleErrorType>("DeleteArticlePayload", "article");

public sealed class RestoreArticleRevisionPayloadType() : PayloadType<Article, ArticleType, RestoreArticleRevisionErrorType>("RestoreArticleRevisionPayload", "article");
