using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Editing;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Content.Editing;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Tags;

public static class TagMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreateTagPayloadType>("createTag")
            .Argument<NonNullGraphType<CreateTagInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreateTagInput>("input");
                return await context.RunAsync(Roles.Editor, input.Slug ?? input.Name,
                    _ => Editor(context).CreateAsync(input.Name, input.Slug, context.CancellationToken));
            });

        mutation.Field<RenameTagPayloadType>("renameTag")
            .Description("Renames a tag and/or changes its slug; the old slug keeps leading to it in tag(slug:).")
            .Argument<NonNullGraphType<RenameTagInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RenameTagInput>("input");
                return await OnTag(context, input.Id, Roles.Editor, (id, _) => Editor(context).RenameAsync(id, input.Name, input.Slug, context.CancellationToken));
            });

        mutation.Field<MergeTagsPayloadType>("mergeTags")
            .Description("Moves every article of the source tag to the target tag and removes the source; its slug then leads to the target. Each article whose tags change gets a new version and revision.")
            .Argument<NonNullGraphType<MergeTagsInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<MergeTagsInput>("input");
                return await context.RunAsync(Roles.Editor, $"{input.SourceTagId} -> {input.TargetTagId}", author =>
                {
                    var errors = new List<EditError>();
                    if (!MutationRunner.TryDecodeId(input.SourceTagId, TagType.TypeName, out var source))
                        errors.Add(MutationRunner.UnknownId(input.SourceTagId, TagType.TypeName));
                    if (!MutationRunner.TryDecodeId(input.TargetTagId, TagType.TypeName, out var target))
                        errors.Add(MutationRunner.UnknownId(input.TargetTagId, TagType.TypeName));
                    return errors.Count > 0
                        ? Task.FromResult(EditResult<Tag>.Failure(errors))
                        : Editor(context).MergeAsync(source, target, author, context.CancellationToken);
                });
            });

        mutation.Field<DeleteTagPayloadType>("deleteTag")
            .Description("Deletes an unused tag; with force: true also one still on articles (they lose it, each with a new version and revision).")
            .Argument<NonNullGraphType<DeleteTagInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<DeleteTagInput>("input");
                return await OnTag(context, input.Id, Roles.Editor, (id, author) => Editor(context).DeleteAsync(id, input.Force, author, context.CancellationToken));
            });
    }

    private static Task<MutationPayload<Tag>> OnTag(IResolveFieldContext context, string tagId, string role, Func<int, string, Task<EditResult<Tag>>> write) =>
        context.RunAsync(role, tagId, author => MutationRunner.TryDecodeId(tagId, TagType.TypeName, out var id)
            ? write(id, author)
            : Task.FromResult(EditResult<Tag>.Failure(MutationRunner.UnknownId(tagId, TagType.TypeName))));

    private static TagEditor Editor(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TagEditor>();
}

public sealed record CreateTagInput
{
    public string Name { get; init; } = "";
    public string? Slug { get; init; }
}

public sealed record RenameTagInput
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Slug { get; init; }
}

public sealed record MergeTagsInput
{
    public string SourceTagId { get; init; } = "";
    public string TargetTagId { get; init; } = "";
}

public sealed record DeleteTagInput
{
    public string Id { get; init; } = "";
    public bool Force { get; init; }
}

public sealed class CreateTagInputType : InputObjectGraphType<CreateTagInput>
{
    public CreateTagInputType()
    {
        Name = "CreateTagInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<StringGraphType>("slug").Description("Lowercase words joined by hyphens. Without one, the slug is derived from the name: transliterated to ASCII from any script, cut at a word boundary, -2, -3 … when taken (tag-1 … when nothing in it reads).");
    }
}

public sealed class RenameTagInputType : InputObjectGraphType<RenameTagInput>
{
    public RenameTagInputType()
    {
        Name = "RenameTagInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("name");
        Field<StringGraphType>("slug");
    }
}

public sealed class MergeTagsInputType : InputObjectGraphType<MergeTagsInput>
{
    public MergeTagsInputType()
    {
        Name = "MergeTagsInput";
        Field<NonNullGraphType<IdGraphType>>("sourceTagId");
        Field<NonNullGraphType<IdGraphType>>("targetTagId");
    }
}

public sealed class DeleteTagInputType : InputObjectGraphType<DeleteTagInput>
{
    public DeleteTagInputType()
    {
        Name = "DeleteTagInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<BooleanGraphType>("force").DefaultValue(false);
    }
}

public sealed class CreateTagErrorType() : ErrorUnionType("CreateTagError", typeof(ValidationErrorType), typeof(SlugTakenErrorType));

public sealed class RenameTagErrorType() : ErrorUnionType("RenameTagError", typeof(ValidationErrorType), typeof(SlugTakenErrorType), typeof(NotFoundErrorType));

public sealed class MergeTagsErrorType() : ErrorUnionType("MergeTagsError", typeof(ValidationErrorType), typeof(NotFoundErrorType));

public sealed class DeleteTagErrorType() : ErrorUnionType("DeleteTagError", typeof(NotFoundErrorType), typeof(TagInUseErrorType));

public sealed class CreateTagPayloadType() : PayloadType<Tag, TagType, CreateTagErrorType>("CreateTagPayload", "tag");

public sealed class RenameTagPayloadType() : PayloadType<Tag, TagType, RenameTagErrorType>("RenameTagPayload", "tag");

public sealed class MergeTagsPayloadType() : PayloadType<Tag, TagType, MergeTagsErrorType>("MergeTagsPayload", "tag");

public sealed class DeleteTagPayloadType() : PayloadType<Tag, TagType, DeleteTagErrorType>("DeleteTagPayload", "tag");
