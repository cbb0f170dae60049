using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Auth;
using T4K3News.Api.Editing;
using T4K3News.Content.Authors;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Authors;

public static class AuthorMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreateAuthorPayloadType>("createAuthor")
            .Argument<NonNullGraphType<CreateAuthorInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreateAuthorInput>("input");
                return await context.RunAsync(Roles.Editor, input.Slug ?? input.Name,
                    _ => Editor(context).CreateAsync(new AuthorChanges(input.Name, input.Slug, input.Bio, input.Url), context.CancellationToken));
            });

        mutation.Field<UpdateAuthorPayloadType>("updateAuthor")
            .Description("Changes only the fields given; an empty bio or url clears it. The author's bylines stay: this is not a write to their articles.")
            .Argument<NonNullGraphType<UpdateAuthorInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<UpdateAuthorInput>("input");
                return await OnAuthor(context, input.Id, (id, _) =>
                    Editor(context).UpdateAsync(id, new AuthorChanges(input.Name, input.Slug, input.Bio, input.Url), context.CancellationToken));
            });

        mutation.Field<DeleteAuthorPayloadType>("deleteAuthor")
            .Description("Deletes an author credited nowhere; with force: true also one still credited (each such article loses the byline, with a new version and revision).")
            .Argument<NonNullGraphType<DeleteAuthorInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<DeleteAuthorInput>("input");
                return await OnAuthor(context, input.Id, (id, editor) => Editor(context).DeleteAsync(id, input.Force, editor, context.CancellationToken));
            });
    }

    private static Task<MutationPayload<Author>> OnAuthor(IResolveFieldContext context, string authorId, Func<int, string, Task<EditResult<Author>>> write) =>
        context.RunAsync(Roles.Editor, authorId, editor => MutationRunner.TryDecodeId(authorId, AuthorType.TypeName, out var id)
            ? write(id, editor)
            : Task.FromResult(EditResult<Author>.Failure(MutationRunner.UnknownId(authorId, AuthorType.TypeName))));

    private static AuthorEditor Editor(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<AuthorEditor>();
}

public sealed record CreateAuthorInput
{
    public string Name { get; init; } = "";
    public string? Slug { get; init; }
    public string? Bio { get; init; }
    public string? Url { get; init; }
}

public sealed record UpdateAuthorInput
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Slug { get; init; }
    public string? Bio { get; init; }
    public string? Url { get; init; }
}

public sealed record DeleteAuthorInput
{
    public string Id { get; init; } = "";
    public bool Force { get; init; }
}

public sealed class CreateAuthorInputType : InputObjectGraphType<CreateAuthorInput>
{
    public CreateAuthorInputType()
    {
        Name = "CreateAuthorInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<StringGraphType>("slug").Description("Lowercase words joined by hyphens. Without one, the slug is derived from the name: transliterated to ASCII from any script, cut at a word boundary, -2, -3 … when taken (author-1 … when nothing in it reads).");
        Field<StringGraphType>("bio");
        Field<StringGraphType>("url").Description("An absolute http:// or https:// URL.");
    }
}

public sealed class UpdateAuthorInputType : InputObjectGraphType<UpdateAuthorInput>
{
    public UpdateAuthorInputType()
    {
        Name = "UpdateAuthorInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("name");
        Field<StringGraphType>("slug").Description("The old slug keeps leading to the author in author(slug:), and no other author may take it.");
        Field<StringGraphType>("bio");
        Field<StringGraphType>("url");
    }
}

public sealed class DeleteAuthorInputType : InputObjectGraphType<DeleteAuthorInput>
{
    public DeleteAuthorInputType()
    {
        Name = "DeleteAuthorInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<BooleanGraphType>("force").DefaultValue(false);
    }
}

public sealed class AuthorInUseErrorType : ErrorType<AuthorInUseError>
{
    public AuthorInUseErrorType() : base("AuthorInUseError", "The author is still credited on articles.") =>
        Field<NonNullGraphType<IntGraphType>>("articleCount").Resolve(c => c.Source.ArticleCount);
}

public sealed class CreateAuthorErrorType() : ErrorUnionType("CreateAuthorError", typeof(ValidationErrorType), typeof(SlugTakenErrorType));

public sealed class UpdateAuthorErrorType() : ErrorUnionType("UpdateAuthorError", typeof(ValidationErrorType), typeof(SlugTakenErrorType), typeof(NotFoundErrorType));

public sealed class DeleteAuthorErrorType() : ErrorUnionType("DeleteAuthorError", typeof(NotFoundErrorType), typeof(AuthorInUseErrorType));

public sealed class CreateAuthorPayloadType() : PayloadType<Author, AuthorType, CreateAuthorErrorType>("CreateAuthorPayload", "author");

public sealed class UpdateAuthorPayloadType() : PayloadType<Author, AuthorType, UpdateAuthorErrorType>("UpdateAuthorPayload", "author");

public sealed class DeleteAuthorPayloadType() : PayloadType<Author, AuthorType, DeleteAuthorErrorType>("DeleteAuthorPayload", "author");
