using System.Text;
using GraphQL;
using GraphQL.Types;
using T4K3News.GraphQLServer;
using T4K3News.Content.Audit;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Editing;

/// <summary>What every mutation returns: the changed object, or the expected reasons it was refused (and then nothing was written).</summary>
public sealed record MutationPayload<T>(T? Value, IReadOnlyList<EditError>? Errors)
{
    public static MutationPayload<T> From(EditResult<T> result) =>
        new(result.Errors.Count == 0 ? result.Value : default, result.Errors.Count == 0 ? null : result.Errors);
}

public static class MutationRunner
{
    /// <summary>Checks the caller's role, runs the write and records it in the audit log, whatever its outcome.</summary>
    public static async Task<MutationPayload<T>> RunAsync<T>(
        this IResolveFieldContext context, string role, string? target, Func<string, Task<EditResult<T>>> write)
    {
        var audit = context.RequestServices!.GetRequiredService<AuditLog>();
        var operation = context.FieldDefinition.Name;
        string actor;
        try
        {
            actor = Auth.FieldAuthorization.RequireRole(context, role);
        }
        catch (ExecutionError denied)
        {
            // Once per request: a document of fifty denied fields must not become fifty writes.
            await audit.RecordDeniedAsync(context.User?.Identity?.Name ?? "anonymous", operation, target, denied.Code ?? "denied");
            throw;
        }

        var result = await write(actor);
        var outcome = result.Errors.Count == 0 ? "succeeded" : "refused: " + string.Join(", ", result.Errors.Select(e => e.GetType().Name).Distinct());
        var details = result.Errors.Count == 0 ? null : string.Join("; ", result.Errors.Select(e => e.Message));
        await audit.RecordAsync(actor, operation, target, outcome, details, CancellationToken.None);
        return MutationPayload<T>.From(result);
    }

    /// <summary>Decodes an input id of the expected type; a malformed or foreign id is an expected failure, reported like a missing object.</summary>
    public static bool TryDecodeId(string id, string typeName, out int key) =>
        GlobalId.TryDecode(id, out var actualType, out key) && actualType == typeName;

    public static EditError UnknownId(string id, string typeName) => new NotFoundError(id, $"'{id}' is not the id of any {typeName}.");
}

public sealed class ErrorInterface : InterfaceGraphType
{
    public ErrorInterface()
    {
        Name = "Error";
        Description = "An expected reason a mutation was refused.";
        Field<NonNullGraphType<StringGraphType>>("message");
    }
}

public abstract class ErrorType<TError> : ObjectGraphType<TError>
    where TError : EditError
{
    protected ErrorType(string name, string description)
    {
        Name = name;
        Description = description;
        Interface<ErrorInterface>();
        IsTypeOf = source => source is TError;
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(c => c.Source.Message);
    }
}

public sealed class ValidationErrorType : ErrorType<ValidationError>
{
    public ValidationErrorType() : base("ValidationError", "An input field breaks a rule; path names it as sent, e.g. \"quotes[2].text\".") =>
        Field<NonNullGraphType<StringGraphType>>("path").Resolve(c => c.Source.Path);
}

public sealed class NotFoundErrorType : ErrorType<NotFoundError>
{
    public NotFoundErrorType() : base("NotFoundError", "An id names nothing the caller can change.") =>
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Contains(':')
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(c.Source.Id))
            : c.Source.Id);
}

public sealed class ConcurrencyErrorType : ErrorType<ConcurrencyError>
{
    public ConcurrencyErrorType() : base("ConcurrencyError", "The object changed since the version the write was based on.")
    {
        Field<NonNullGraphType<IntGraphType>>("expectedVersion").Resolve(c => c.Source.ExpectedVersion);
        Field<NonNullGraphType<IntGraphType>>("currentVersion").Resolve(c => c.Source.CurrentVersion);
    }
}

public sealed class SlugTakenErrorType : ErrorType<SlugTakenError>
{
    public SlugTakenErrorType() : base("SlugTakenError", "Another object already has this slug.") =>
        Field<NonNullGraphType<StringGraphType>>("slug").Resolve(c => c.Source.Slug);
}

public sealed class InvalidStatusErrorType : ErrorType<InvalidStatusError>
{
    public InvalidStatusErrorType() : base("InvalidStatusError", "The workflow does not allow this step from the article's current status.") =>
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => c.Source.Status);
}

public sealed class TagInUseErrorType : ErrorType<TagInUseError>
{
    public TagInUseErrorType() : base("TagInUseError", "The tag is still on articles.") =>
        Field<NonNullGraphType<IntGraphType>>("articleCount").Resolve(c => c.Source.ArticleCount);
}

public abstract class ErrorUnionType : UnionGraphType
{
    protected ErrorUnionType(string name, params Type[] errorTypes)
    {
        Name = name;
        foreach (var errorType in errorTypes)
            Type(errorType);
    }
}

public abstract class PayloadType<T, TGraphType, TErrorUnion> : ObjectGraphType<MutationPayload<T>>
    where TGraphType : IGraphType
    where TErrorUnion : ErrorUnionType
{
    protected PayloadType(string name, string valueField)
    {
        Name = name;
        Field<TGraphType>(valueField).Resolve(c => c.Source.Value);
        Field<ListGraphType<NonNullGraphType<TErrorUnion>>>("errors").Resolve(c => c.Source.Errors);
    }
}
