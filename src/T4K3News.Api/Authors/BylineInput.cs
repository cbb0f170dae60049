using GraphQL.Types;
using T4K3News.Api.Editing;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Authors;

/// <summary>One credit as an article input gives it.</summary>
public sealed record BylineInput
{
    public string AuthorId { get; init; } = "";
    public BylineRole Role { get; init; } = BylineRole.Author;

    /// <summary>The bylines an input gives, by author key; a malformed or foreign id is a validation error naming its place.</summary>
    public static List<(int AuthorId, BylineRole Role)>? Decode(List<BylineInput>? bylines, List<EditError> errors)
    {
        if (bylines is null)
            return null;
        var decoded = new List<(int, BylineRole)>();
        for (var i = 0; i < bylines.Count; i++)
        {
            if (MutationRunner.TryDecodeId(bylines[i].AuthorId, AuthorType.TypeName, out var key))
                decoded.Add((key, bylines[i].Role));
            else
                errors.Add(new ValidationError($"bylines[{i}].authorId", $"'{bylines[i].AuthorId}' is not the id of any {AuthorType.TypeName}."));
        }

        return decoded;
    }
}

public sealed class BylineInputType : InputObjectGraphType<BylineInput>
{
    public BylineInputType()
    {
        Name = "BylineInput";
        Description = "A credit on an article: an author and what they did.";
        Field<NonNullGraphType<IdGraphType>>("authorId");
        Field<BylineRoleType>("role").DefaultValue(BylineRole.Author);
    }
}
