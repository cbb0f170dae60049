using Microsoft.EntityFrameworkCore;
using Npgsql;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Tags;

/// <summary>
/// Editing the tag vocabulary. A tag's old slugs are remembered, so links to them keep finding it. Renaming a tag is
/// not a write to its articles (they keep the same tag); merging or deleting one changes their tags and is versioned.
/// </summary>
public sealed class TagEditor(IDbContextFactory<ContentDbContext> databases, TimeProvider clock)
{
    /// <summary>Creates a tag; without <paramref name="slug"/> one is derived from the name, never refused.</summary>
    public async Task<EditResult<Tag>> CreateAsync(string name, string? slug, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryCreateAsync(name, slug, cancellationToken);
            // Another write took the derived slug at the same moment: derive again.
            if (slug is not null || attempt == ArticleEditor.MaxSlugAttempts
                || !result.Errors.Any(e => e is SlugTakenError))
                return result;
        }
    }

    private async Task<EditResult<Tag>> TryCreateAsync(string name, string? slug, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tag = new Tag
        {
            Name = name.Trim(),
            Slug = slug?.Trim() ?? await FreeSlugAsync(db, name, cancellationToken),
        };
        var errors = await ValidateAsync(db, tag, cancellationToken);
        if (errors.Count > 0)
            return EditResult<Tag>.Failure(errors);

        await ClaimSlugAsync(db, tag, cancellationToken);
        db.Tags.Add(tag);
        return await SaveAsync(db, transaction, tag, cancellationToken);
    }

    /// <summary>The slug derived from <paramref name="name"/> that no tag has, nor had before a rename.</summary>
    private static Task<string> FreeSlugAsync(ContentDbContext db, string name, CancellationToken cancellationToken) =>
        Slug.FreeAsync(name, "tag", TagLimits.Slug, prefix => db.Tags
            .Where(t => t.Slug.StartsWith(prefix)).Select(t => t.Slug)
            .Concat(db.TagSlugHistory.Where(h => h.Slug.StartsWith(prefix)).Select(h => h.Slug))
            .ToListAsync(cancellationToken));

    public async Task<EditResult<Tag>> RenameAsync(int tagId, string? name, string? slug, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tag = await db.Tags.SingleOrDefaultAsync(t => t.Id == tagId, cancellationToken);
        if (tag is null)
            return EditResult<Tag>.Failure(TagNotFound(tagId));

        var oldSlug = tag.Slug;
        tag.Name = name?.Trim() ?? tag.Name;
        tag.Slug = slug?.Trim() ?? tag.Slug;
        var errors = await ValidateAsync(db, tag, cancellationToken);
        if (errors.Count > 0)
            return EditResult<Tag>.Failure(errors);

        if (oldSlug != tag.Slug)
        {
            await ClaimSlugAsync(db, tag, cancellationToken);
            db.TagSlugHistory.Add(new TagSlugHistory { Slug = oldSlug, TagId = tag.Id });
        }

        return await SaveAsync(db, transaction, tag, cancellationToken);
    }

    /// <summary>
    /// Moves every article of <paramref name="sourceId"/> to <paramref name="targetId"/> and removes the source; its
    /// slugs then lead to the target. Each article whose tags change gets a new version and revision.
    /// </summary>
    public async Task<EditResult<Tag>> MergeAsync(int sourceId, int targetId, string author, CancellationToken cancellationToken)
    {
        if (sourceId == targetId)
            return EditResult<Tag>.Failure(new ValidationError("targetTagId", "A tag cannot be merged into itself."));

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var source = await db.Tags.SingleOrDefaultAsync(t => t.Id == sourceId, cancellationToken);
        var target = await db.Tags.SingleOrDefaultAsync(t => t.Id == targetId, cancellationToken);
        if (source is null || target is null)
            return EditResult<Tag>.Failure(new[] { (source, sourceId), (target, targetId) }.Where(t => t.Item1 is null).Select(t => TagNotFound(t.Item2)));

        var write = await ReviseArticlesTaggedAsync(db, sourceId, author, article =>
        {
            article.ArticleTags.RemoveAll(t => t.TagId == sourceId);
            if (article.ArticleTags.All(t => t.TagId != targetId))
                article.ArticleTags.Add(new ArticleTag { ArticleId = article.Id, TagId = targetId });
        }, cancellationToken);
        await db.TagSlugHistory.Where(h => h.TagId == sourceId).ExecuteUpdateAsync(set => set.SetProperty(h => h.TagId, targetId), cancellationToken);
        db.TagSlugHistory.Add(new TagSlugHistory { Slug = source.Slug, TagId = targetId });
        db.Tags.Remove(source);
        await write.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return EditResult<Tag>.Success(target);
    }

    /// <summary>Deletes a tag; one still on articles only with <paramref name="force"/>, and each of them gets a new version and revision.</summary>
    public async Task<EditResult<Tag>> DeleteAsync(int tagId, bool force, string author, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tag = await db.Tags.SingleOrDefaultAsync(t => t.Id == tagId, cancellationToken);
        if (tag is null)
            return EditResult<Tag>.Failure(TagNotFound(tagId));
        var uses = await db.ArticleTags.CountAsync(t => t.TagId == tagId, cancellationToken);
        if (uses > 0 && !force)
            return EditResult<Tag>.Failure(new TagInUseError(uses));

        var write = await ReviseArticlesTaggedAsync(db, tagId, author, article => article.ArticleTags.RemoveAll(t => t.TagId == tagId), cancellationToken);
        // Every slug that led to the tag is remembered as deleted, so that the importer does not bring the tag back.
        var slugs = await db.TagSlugHistory.Where(h => h.TagId == tagId).Select(h => h.Slug).ToListAsync(cancellationToken);
        slugs.Add(tag.Slug);
        await db.DeletedTags.Where(d => slugs.Contains(d.Slug)).ExecuteDeleteAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        db.DeletedTags.AddRange(slugs.Select(slug => new DeletedTag { Slug = slug, DeletedAt = now, DeletedBy = author }));
        db.Tags.Remove(tag);
        await write.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return EditResult<Tag>.Success(tag);
    }

    /// <summary>
    /// Changes the tags of every article carrying <paramref name="tagId"/> as an editorial write: the rows are locked
    /// first, so an editor saving one of them meanwhile waits and then gets a concurrency error instead of undoing this.
    /// </summary>
    private async Task<ArticleWrite> ReviseArticlesTaggedAsync(ContentDbContext db, int tagId, string author, Action<Article> change, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "Articles" WHERE "Id" IN (SELECT "ArticleId" FROM "ArticleTags" WHERE "TagId" = {tagId}) FOR UPDATE""", cancellationToken);
        var articles = await ArticleEditor.Whole(db.Articles.Where(a => a.ArticleTags.Any(t => t.TagId == tagId))).ToListAsync(cancellationToken);
        var write = ArticleEditor.Write(db, author, clock.GetUtcNow().UtcDateTime);
        write.Revise(articles, change);
        return write;
    }

    /// <summary>
    /// A slug a tag takes back is its current one again, no longer an old one; nor does it count as deleted. (Another
    /// tag's old slug cannot be taken: <see cref="ValidateAsync"/> refuses it while it redirects.)
    /// </summary>
    private static async Task ClaimSlugAsync(ContentDbContext db, Tag tag, CancellationToken cancellationToken)
    {
        await db.TagSlugHistory.Where(h => h.Slug == tag.Slug && h.TagId == tag.Id)
            .ExecuteDeleteAsync(cancellationToken);
        await db.DeletedTags.Where(d => d.Slug == tag.Slug).ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task<EditResult<Tag>> SaveAsync(
        ContentDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Tag tag, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return EditResult<Tag>.Success(tag);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another editor took the slug at the same moment.
            return EditResult<Tag>.Failure(new SlugTakenError(tag.Slug));
        }
    }

    private static async Task<List<EditError>> ValidateAsync(ContentDbContext db, Tag tag, CancellationToken cancellationToken)
    {
        var errors = new List<EditError>();
        if (string.IsNullOrWhiteSpace(tag.Name))
            errors.Add(new ValidationError("name", "Required: it cannot be empty."));
        else if (StoredText.OneLineProblem(tag.Name, TagLimits.Name) is { } problem)
            errors.Add(new ValidationError("name", problem));
        if (!Slug.IsValid(tag.Slug) || tag.Slug.Length > TagLimits.Slug)
            errors.Add(new ValidationError("slug", $"A slug is lowercase letters and digits in words joined by single hyphens, at most {TagLimits.Slug} characters."));
        else if (await db.Tags.AnyAsync(t => t.Slug == tag.Slug && t.Id != tag.Id, cancellationToken))
            errors.Add(new SlugTakenError(tag.Slug));
        else if (await db.TagSlugHistory.AnyAsync(h => h.Slug == tag.Slug && h.TagId != tag.Id, cancellationToken))
            errors.Add(SlugTakenError.Redirecting(tag.Slug, "tag"));
        return errors;
    }

    private static NotFoundError TagNotFound(int id) => new($"Tag:{id}", $"There is no tag {id}.");
}
