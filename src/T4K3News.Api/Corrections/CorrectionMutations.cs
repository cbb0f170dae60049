using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Api.Auth;
using T4K3News.Api.Editing;
using T4K3News.Content.Articles;
using T4K3News.Content.Corrections;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Corrections;

public static class CorrectionMutations
{
    public static void Register(ObjectGraphType mutation) =>
        mutation.Field<AddCorrectionPayloadType>("addCorrection")
            .Description($"Appends a correction, clarification or update to an article (at most {CorrectionLimits.PerArticle}): a new version with a revision, announced like any change; readers see it once the article is published.")
            .Argument<NonNullGraphType<AddCorrectionInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<AddCorrectionInput>("input");
                return await context.RunAsync(Roles.Editor, input.ArticleId, editor =>
                    MutationRunner.TryDecodeId(input.ArticleId, ArticleType.TypeName, out var id)
                        ? context.RequestServices!.GetRequiredService<CorrectionDesk>()
                            .AddAsync(id, input.ExpectedVersion, input.Kind, input.Text, editor, context.CancellationToken)
                        : Task.FromResult(EditResult<Article>.Failure(MutationRunner.UnknownId(input.ArticleId, ArticleType.TypeName))));
            });
}

public sealed record AddCorrectionInput
{
    public string ArticleId { get; init; } = "";
    public int ExpectedVersion { get; init; }
    public CorrectionKind Kind { get; init; }
    public string Text { get; init; } = "";
}

public sealed class AddCorrectionInputType : InputObjectGraphType<AddCorrectionInput>
{
    public AddCorrectionInputType()
    {
        Name = "AddCorrectionInput";
        Field<NonNullGraphType<IdGraphType>>("articleId");
        Field<NonNullGraphType<IntGraphType>>("expectedVersion").Description("The version your change is based on.");
        Field<NonNullGraphType<CorrectionKindType>>("kind");
        Field<NonNullGraphType<StringGraphType>>("text").Description($"The note as readers see it, at most {CorrectionLimits.Text} characters.");
    }
}

public sealed class AddCorrectionErrorType() : ErrorUnionType("AddCorrectionError", typeof(ValidationErrorType), typeof(NotFoundErrorType), typeof(ConcurrencyErrorType));

public sealed class AddCorrectionPayloadType() : PayloadType<Article, ArticleType, AddCorrectionErrorType>("AddCorrectionPayload", "article");

public sealed class CorrectionType : ObjectGraphType<Correction>
{
    public CorrectionType()
    {
        Name = "Correction";
        Description = "A public note appended to an article after a change.";
        Field<NonNullGraphType<CorrectionKindType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("text").Description("The note as readers see it.").Resolve(c => c.Source.Text);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Description("When the note was added.").Resolve(c => c.Source.CreatedAt);
    }
}

public sealed class CorrectionKindType : EnumerationGraphType<CorrectionKind>
{
    public CorrectionKindType()
    {
        Name = "CorrectionKind";
        Description = "What kind of note a correction is.";
    }
}
