using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using T4K3News.Content.Editing;
using T4K3News.Content.Import;
using T4K3News.Content.Publications;

namespace T4K3News.Content.Articles;

public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The publication new articles belong to.</summary>
    public string DefaultPublication { get; set; } = "T4K3.news";

    /// <summary>How far ahead an article may be scheduled.</summary>
    public int MaxScheduleDays { get; set; } = 5 * 366;
}

/// <summary>
/// Every editorial write to an article: one transaction that checks the version the editor started from, validates
/// the whole result, bumps the version and appends a revision. A refused write changes nothing.
/// </summary>
public sealed class ArticleEditor(IDbContextFactory<ContentDbContext> databases, TimeProvider clock, IOptions<PublishingOptions> options)
{
    private static readonly DateTime EarliestPublicationTime = new(1990, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <param name="inputErrors">Problems the caller found in the input already (such as malformed ids), reported together with the rest.</param>
    public async Task<EditResult<Article>> CreateAsync(ArticleSnapshot draft, string author, CancellationToken cancellationToken, IReadOnlyList<EditError>? inputErrors = null)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        draft = draft with { Content = draft.Content.Trimmed(), Status = ArticleStatus.Draft, PublishedAt = null };
        var errors = await ValidateAsync(db, draft, articleId: null, cancellationToken);
        if (errors.Count > 0 || inputErrors is { Count: > 0 })
            return EditResult<Article>.Failure((inputErrors ?? []).Concat(errors));

        var now = clock.GetUtcNow().UtcDateTime;
        var publicationName = options.Value.DefaultPublication;
        var article = new Article
        {
            Slug = draft.Slug,
            Title = draft.Content.Title,
            Standfirst = draft.Content.Standfirst,
            Body = draft.Content.Body,
            Status = ArticleStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            Publication = await db.FindOrAddPublicationAsync(publicationName, cancellationToken),
        };
        Apply(draft, article);
        db.Articles.Add(article);
        return await SaveAsync(db, transaction, article, draft, before: null, author, cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> to the article as it stands, provided it is still at <paramref name="expectedVersion"/>.</summary>
    public async Task<EditResult<Article>> ChangeAsync(
        int articleId, int expectedVersion, string author, Func<ArticleSnapshot, EditResult<ArticleSnapshot>> change, CancellationToken cancellationToken,
        IReadOnlyList<EditError>? inputErrors = null)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var article = await LoadAsync(db, articleId, cancellationToken);
        if (article is null)
            return EditResult<Article>.Failure(ArticleNotFound(articleId));
        if (article.Version != expectedVersion)
            return EditResult<Article>.Failure(new ConcurrencyError(expectedVersion, article.Version));

        var before = ArticleSnapshot.Of(article);
        var changed = change(before);
        if (changed.Errors.Count > 0)
            return EditResult<Article>.Failure(changed.Errors);

        var after = changed.Value! with { Content = changed.Value!.Content.Trimmed() };
        var errors = await ValidateAsync(db, after, article.Id, cancellationToken);
        if (errors.Count > 0 || inputErrors is { Count: > 0 })
            return EditResult<Article>.Failure((inputErrors ?? []).Concat(errors));
        if (after.ChangedFrom(before).Count == 0)
            return EditResult<Article>.Success(article);

        Apply(after, article);
        article.Version++;
        article.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        return await SaveAsync(db, transaction, article, after, before, author, cancellationToken);
    }

    public Task<EditResult<Article>> PublishAsync(int articleId, int expectedVersion, DateTime? at, string author, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var when = at?.ToUniversalTime() ?? now;
        return ChangeAsync(articleId, expectedVersion, author, current =>
        {
            if (current.Status == ArticleStatus.Archived)
                return EditResult<ArticleSnapshot>.Failure(new InvalidStatusError("ARCHIVED", "An archived article must be restored before it is published."));
            if (when < EarliestPublicationTime || when > now.AddDays(options.Value.MaxScheduleDays))
                return EditResult<ArticleSnapshot>.Failure(new ValidationError("at",
                    $"A publication time lies between {EarliestPublicationTime:yyyy-MM-dd} and {options.Value.MaxScheduleDays} days from now."));
            return EditResult<ArticleSnapshot>.Success(current with { Status = ArticleStatus.Published, PublishedAt = when });
        }, cancellationToken);
    }

    public Task<EditResult<Article>> UnpublishAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        MoveAsync(articleId, expectedVersion, author, ArticleStatus.Published, ArticleStatus.Draft, "Only a published or scheduled article can be unpublished.", cancellationToken);

    public Task<EditResult<Article>> RestoreFromArchiveAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        MoveAsync(articleId, expectedVersion, author, ArticleStatus.Archived, ArticleStatus.Draft, "Only an archived article can be restored.", cancellationToken);

    public Task<EditResult<Article>> ArchiveAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        ChangeAsync(articleId, expectedVersion, author, current => current.Status == ArticleStatus.Archived
            ? EditResult<ArticleSnapshot>.Failure(new InvalidStatusError("ARCHIVED", "The article is already archived."))
            : EditResult<ArticleSnapshot>.Success(current with { Status = ArticleStatus.Archived }), cancellationToken);

    /// <summary>Brings back the content, slug, tags and related articles of a revision as a new revision; the workflow status stays.</summary>
    public async Task<EditResult<Article>> RestoreRevisionAsync(int articleId, long revisionId, int expectedVersion, string author, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == articleId, cancellationToken);
        if (revision is null)
            return EditResult<Article>.Failure(new NotFoundError($"ArticleRevision:{revisionId}", "This article has no such revision."));

        var restored = ArticleSnapshot.FromJson(revision.Snapshot);
        var existingTags = await db.Tags.Where(t => restored.TagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        var existingRelated = await db.Articles.Where(a => restored.RelatedArticleIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        return await ChangeAsync(articleId, expectedVersion, author, current => EditResult<ArticleSnapshot>.Success(restored with
        {
            Status = current.Status,
            PublishedAt = current.PublishedAt,
            // Tags merged or deleted since, and articles deleted since, cannot come back.
            TagIds = restored.TagIds.Where(existingTags.Contains).ToList(),
            RelatedArticleIds = restored.RelatedArticleIds.Where(existingRelated.Contains).ToList(),
        }), cancellationToken);
    }

    /// <summary>
    /// Deletes an article for good. The articles relating to it lose the link as an editorial write of their own (a new
    /// version and revision each, announced like any), and a deleted seed article is remembered so that no import brings
    /// it back: all in one transaction.
    /// </summary>
    public async Task<EditResult<Article>> DeleteAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.DeletedBy = author;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Locked first, in id order: an editor saving a linking article meanwhile waits and then gets a concurrency
            // error instead of bringing the link back, and two deletes of articles linking each other cannot deadlock.
            await db.Database.ExecuteSqlAsync($"""
                SELECT 1 FROM "Articles"
                WHERE "Id" = {articleId} OR "Id" IN (SELECT "ArticleId" FROM "RelatedArticles" WHERE "RelatedArticleId" = {articleId})
                ORDER BY "Id" FOR UPDATE
                """, cancellationToken);
            var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == articleId, cancellationToken);
            if (article is null)
                return EditResult<Article>.Failure(ArticleNotFound(articleId));
            if (article.Version != expectedVersion)
                return EditResult<Article>.Failure(new ConcurrencyError(expectedVersion, article.Version));

            var now = clock.GetUtcNow().UtcDateTime;
            var linking = await Whole(db.Articles.Where(a => a.RelatedArticles.Any(r => r.RelatedArticleId == articleId))).ToListAsync(cancellationToken);
            foreach (var other in linking)
            {
                var before = ArticleSnapshot.Of(other);
                other.SetRelatedArticles(before.RelatedArticleIds.Where(id => id != articleId).ToList());
                other.Version++;
                other.UpdatedAt = now;
                db.ArticleRevisions.Add(ArticleRevision.Of(other, ArticleSnapshot.Of(other), before, author));
            }

            if (article.SourceFile is { } sourceFile)
                db.DeletedSeedSources.Add(new DeletedSeedSource { SourceFile = sourceFile, Slug = article.Slug, DeletedAt = now, DeletedBy = author });
            db.Articles.Remove(article);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return EditResult<Article>.Success(article);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || e.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
        {
            return EditResult<Article>.Failure(new ConcurrencyError(expectedVersion, await CurrentVersionAsync(articleId, cancellationToken)));
        }
    }

    private Task<EditResult<Article>> MoveAsync(int articleId, int expectedVersion, string author, ArticleStatus from, ArticleStatus to, string refusal, CancellationToken cancellationToken) =>
        ChangeAsync(articleId, expectedVersion, author, current => current.Status == from
            ? EditResult<ArticleSnapshot>.Success(current with { Status = to })
            : EditResult<ArticleSnapshot>.Failure(new InvalidStatusError(current.Status.ToString().ToUpperInvariant(), refusal)), cancellationToken);

    private async Task<EditResult<Article>> SaveAsync(
        ContentDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Article article,
        ArticleSnapshot after, ArticleSnapshot? before, string author, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.ArticleRevisions.Add(ArticleRevision.Of(article, after, before, author));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return EditResult<Article>.Success(article);
        }
        catch (DbUpdateConcurrencyException)
        {
            return EditResult<Article>.Failure(new ConcurrencyError(article.Version - 1, await CurrentVersionAsync(article.Id, cancellationToken)));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // A concurrent write got there first: the same slug, or the same next version of this article.
            return unique.ConstraintName == "IX_Articles_Slug"
                ? EditResult<Article>.Failure(new SlugTakenError(after.Slug))
                : EditResult<Article>.Failure(new ConcurrencyError(article.Version - 1, await CurrentVersionAsync(article.Id, cancellationToken)));
        }
    }

    private async Task<int> CurrentVersionAsync(int articleId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Articles.Where(a => a.Id == articleId).Select(a => a.Version).SingleOrDefaultAsync(cancellationToken);
    }

    private static async Task<List<EditError>> ValidateAsync(ContentDbContext db, ArticleSnapshot snapshot, int? articleId, CancellationToken cancellationToken)
    {
        var errors = new List<EditError>(ArticleValidator.Validate(snapshot.Content, snapshot.Slug));
        if (errors.Count == 0 && await db.Articles.AnyAsync(a => a.Slug == snapshot.Slug && a.Id != articleId, cancellationToken))
            errors.Add(new SlugTakenError(snapshot.Slug));

        if (snapshot.TagIds.Count > ArticleLimits.ItemsPerList)
            errors.Add(new ValidationError("tagIds", $"At most {ArticleLimits.ItemsPerList} tags."));
        var knownTags = await db.Tags.Where(t => snapshot.TagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        errors.AddRange(snapshot.TagIds.Except(knownTags).Select(id => new NotFoundError($"Tag:{id}", $"There is no tag {id}.")));

        if (snapshot.RelatedArticleIds.Count > ArticleLimits.ItemsPerList)
            errors.Add(new ValidationError("relatedArticleIds", $"At most {ArticleLimits.ItemsPerList} related articles."));
        if (articleId is { } self && snapshot.RelatedArticleIds.Contains(self))
            errors.Add(new ValidationError("relatedArticleIds", "An article cannot be related to itself."));
        var knownArticles = await db.Articles.Where(a => snapshot.RelatedArticleIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        errors.AddRange(snapshot.RelatedArticleIds.Except(knownArticles).Select(ArticleNotFound));
        return errors;
    }

    private static void Apply(ArticleSnapshot snapshot, Article article)
    {
        snapshot.Content.ApplyTo(article);
        article.Slug = snapshot.Slug;
        article.Status = snapshot.Status;
        article.PublishedAt = snapshot.PublishedAt;

        var tagIds = snapshot.TagIds.Distinct().ToList();
        article.ArticleTags.RemoveAll(t => !tagIds.Contains(t.TagId));
        article.ArticleTags.AddRange(tagIds.Where(id => article.ArticleTags.All(t => t.TagId != id)).Select(id => new ArticleTag { TagId = id }));

        article.SetRelatedArticles(snapshot.RelatedArticleIds);
    }

    private static Task<Article?> LoadAsync(ContentDbContext db, int articleId, CancellationToken cancellationToken) =>
        Whole(db.Articles).SingleOrDefaultAsync(a => a.Id == articleId, cancellationToken);

    /// <summary>Articles with everything a snapshot reads.</summary>
    internal static IQueryable<Article> Whole(IQueryable<Article> articles) =>
        articles
            .Include(a => a.Takeaways).Include(a => a.Quotes).Include(a => a.Highlights).Include(a => a.Callouts)
            .Include(a => a.ArticleTags).Include(a => a.RelatedArticles)
            .AsSplitQuery();

    private static NotFoundError ArticleNotFound(int id) => new($"Article:{id}", $"There is no article {id}.");
}
