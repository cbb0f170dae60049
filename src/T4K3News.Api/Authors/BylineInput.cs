using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Editing;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Authors;

/// <summary>One credit as an article input gives it: the author by id or by slug.</summary>
public sealed record BylineInput
{
    public string? AuthorId { get; init; }
    public string? AuthorSlug { get; init; }
    public BylineRole Role { get; init; } = BylineRole.Author;

    private const string GiveTheAuthor = "Give the author by id (authorId) or by slug (authorSlug)";

    /// <summary>
    /// The bylines an input gives, by author key. An author named by both or neither, a malformed or foreign id, and an
    /// id or slug of no author are validation errors naming the place and repeating what the client sent.
    /// </summary>
    public static async Task<List<(int AuthorId, BylineRole Role)>?> ResolveAsync(
        ContentDbContext db, List<BylineInput>? bylines, List<EditError> errors, CancellationToken cancellationToken)
    {
        if (bylines is null)
            return null;
        var ids = new List<int>();
        foreach (var byline in bylines)
        {
            if (byline.AuthorId is { } id && MutationRunner.TryDecodeId(id, AuthorType.TypeName, out var key))
                ids.Add(key);
        }

        var slugs = bylines.Where(b => b.AuthorId is null && b.AuthorSlug is not null)
            .Select(b => b.AuthorSlug!.ToLowerInvariant())
            .Distinct()
            .ToList();
        var found = ids.Count + slugs.Count == 0 ? [] : await db.Authors
            .Where(a => ids.Contains(a.Id) || slugs.Contains(a.Slug.ToLower()))
            .Select(a => new { a.Id, Slug = a.Slug.ToLower() })
            .ToListAsync(cancellationToken);

        var resolved = new List<(int, BylineRole)>();
        for (var i = 0; i < bylines.Count; i++)
        {
            var (id, slug, role) = (bylines[i].AuthorId, bylines[i].AuthorSlug, bylines[i].Role);
            if (id is not null && slug is not null)
                errors.Add(new ValidationError($"bylines[{i}]", $"{GiveTheAuthor}, not both."));
            else if (id is null && slug is null)
                errors.Add(new ValidationError($"bylines[{i}]", $"{GiveTheAuthor}."));
            else if (id is not null)
            {
                if (MutationRunner.TryDecodeId(id, AuthorType.TypeName, out var key) && found.Any(a => a.Id == key))
                    resolved.Add((key, role));
                else
                    errors.Add(new ValidationError($"bylines[{i}].authorId", $"'{id}' is not the id of any Author."));
            }
            else if (found.FirstOrDefault(a => a.Slug == slug!.ToLowerInvariant()) is { } author)
                resolved.Add((author.Id, role));
            else
                errors.Add(new ValidationError(
                    $"bylines[{i}].authorSlug", $"There is no author with the slug '{slug}'."));
        }

        return resolved;
    }
}

public sealed class BylineInputType : InputObjectGraphType<BylineInput>
{
    public BylineInputType()
    {
        Name = "BylineInput";
        Description = "A credit on an article: an author, by id or by slug (one of them), and what they did.";
        Field<IdGraphType>("authorId");
        Field<StringGraphType>("authorSlug").Description("The author's slug, in any case; instead of authorId.");
        Field<BylineRoleType>("role").DefaultValue(BylineRole.Author);
    }
}
