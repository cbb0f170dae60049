using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Editing;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Tags;

/// <summary>
/// The tags an article input names, by id (<c>tagIds</c>) or by slug (<c>tags</c>), as keys. Each one that names no tag
/// is an error at its path that repeats what the client sent, never a key of ours. Slugs match whatever their case, and
/// a tag's old slug (renamed or merged away) names the tag it became, as <c>tag(slug:)</c> does.
/// </summary>
public static class TagReferences
{
    public static async Task<List<int>?> ResolveAsync(
        ContentDbContext db, List<string>? tagIds, List<string>? slugs, List<EditError> errors, CancellationToken cancellationToken)
    {
        if (tagIds is not null && slugs is not null)
        {
            errors.Add(new ValidationError("tags", "Give tags by id (tagIds) or by slug (tags), not both."));
            return null;
        }

        if (tagIds is null && slugs is null)
            return null;
        var keys = tagIds is not null
            ? await ByIdAsync(db, tagIds, errors, cancellationToken)
            : await BySlugAsync(db, slugs!, errors, cancellationToken);
        if ((tagIds ?? slugs)!.Distinct().Count() <= ArticleLimits.ItemsPerList)
            return keys;

        // Said here, with the unknown ones, because those are not handed on: the write would count only known tags.
        errors.Add(new ValidationError(tagIds is not null ? "tagIds" : "tags", $"At most {ArticleLimits.ItemsPerList} tags."));
        return null;
    }

    private static async Task<List<int>> ByIdAsync(ContentDbContext db, List<string> tagIds, List<EditError> errors, CancellationToken cancellationToken)
    {
        var decoded = new List<(int Key, string Sent)>();
        foreach (var id in tagIds)
        {
            if (MutationRunner.TryDecodeId(id, TagType.TypeName, out var key))
                decoded.Add((key, id));
            else
                errors.Add(MutationRunner.UnknownId(id, TagType.TypeName));
        }

        var keys = decoded.Select(d => d.Key).Distinct().ToList();
        var known = await db.Tags.Where(t => keys.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        errors.AddRange(decoded.Where(d => !known.Contains(d.Key)).Select(d => MutationRunner.UnknownId(d.Sent, TagType.TypeName)));
        return decoded.Select(d => d.Key).Where(known.Contains).ToList();
    }

    private static async Task<List<int>> BySlugAsync(ContentDbContext db, List<string> slugs, List<EditError> errors, CancellationToken cancellationToken)
    {
        var lowered = slugs.Select(s => s.ToLowerInvariant()).Distinct().ToList();
        var found = await db.Tags.Where(t => lowered.Contains(t.Slug.ToLower()))
            .Select(t => new { Slug = t.Slug.ToLower(), t.Id })
            .ToDictionaryAsync(t => t.Slug, t => t.Id, cancellationToken);
        var missing = lowered.Where(s => !found.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            var renamed = await db.TagSlugHistory.Where(h => missing.Contains(h.Slug.ToLower()))
                .Select(h => new { Slug = h.Slug.ToLower(), h.TagId })
                .ToListAsync(cancellationToken);
            foreach (var old in renamed)
                found.TryAdd(old.Slug, old.TagId);
        }

        var keys = new List<int>();
        for (var i = 0; i < slugs.Count; i++)
        {
            if (found.TryGetValue(slugs[i].ToLowerInvariant(), out var key))
                keys.Add(key);
            else
                errors.Add(new ValidationError($"tags[{i}]", $"There is no tag with the slug '{slugs[i]}'."));
        }

        return keys;
    }
}
