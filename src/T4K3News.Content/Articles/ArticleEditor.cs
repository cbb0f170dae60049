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
/// the whole result, bumps the version and appends a revision. A refused write changes nothing. The importer and the tag
/// editor write to articles through <see cref="Write"/> too: it is the only code that versions articles, keeps their
/// revisions and announces their changes.
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

        var write = Write(db, author, clock.GetUtcNow().UtcDateTime);
        var article = new Article
        {
            Slug = draft.Slug,
            Title = draft.Content.Title,
            Standfirst = draft.Content.Standfirst,
            Body = draft.Content.Body,
            Status = ArticleStatus.Draft,
            Publication = await db.FindOrAddPublicationAsync(options.Value.DefaultPublication, cancellationToken),
        };
        Apply(draft, article);
        db.Articles.Add(article);
        write.Create(article);
        return await SaveAsync(write, transaction, article, cancellationToken);
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

        Apply(after, article);
        var changedFields = ArticleSnapshot.Of(article).ChangedFrom(before);
        if (changedFields.Count == 0)
            return EditResult<Article>.Success(article);
        var write = Write(db, author, clock.GetUtcNow().UtcDateTime);
        write.Revise(article, changedFields);
        return await SaveAsync(write, transaction, article, cancellationToken);
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
            var write = Write(db, author, now);
            var linking = await Whole(db.Articles.Where(a => a.RelatedArticles.Any(r => r.RelatedArticleId == articleId))).ToListAsync(cancellationToken);
            write.Revise(linking, other => other.SetRelatedArticles(other.RelatedArticles.OrderBy(r => r.Position).Select(r => r.RelatedArticleId).Where(id => id != articleId).ToList()));

            if (article.SourceFile is { } sourceFile)
                db.DeletedSeedSources.Add(new DeletedSeedSource { SourceFile = sourceFile, Slug = article.Slug, DeletedAt = now, DeletedBy = author });
            write.Delete(article);
            await write.SaveAsync(cancellationToken);
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
        ArticleWrite write, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Article article, CancellationToken cancellationToken)
    {
        try
        {
            await write.SaveAsync(cancellationToken);
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
                ? EditResult<Article>.Failure(new SlugTakenError(article.Slug))
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
        articles.Include(a => a.ArticleTags).Include(a => a.RelatedArticles).AsSplitQuery();

    private static NotFoundError ArticleNotFound(int id) => new($"Article:{id}", $"There is no article {id}.");

    /// <summary>Starts a write to articles in <paramref name="db"/>, inside the caller's open transaction.</summary>
    internal static ArticleWrite Write(ContentDbContext db, string author, DateTime now) => new(db, author, now);
}

/// <summary>
/// One write to articles: each article it creates or revises gets its version, its update time and a revision naming
/// what changed, and every change (deletions too) is announced with PostgreSQL's NOTIFY when it is saved, inside the
/// caller's transaction: so it reaches every server instance listening on <see cref="ArticleChange.Channel"/>, once, and
/// only if the write commits. Revised articles must be loaded whole (<see cref="ArticleEditor.Whole"/>); articles other
/// writes may touch meanwhile must be locked by the caller.
/// </summary>
internal sealed class ArticleWrite(ContentDbContext db, string author, DateTime now)
{
    private readonly List<(Article Article, IReadOnlyList<string> ChangedFields)> revised = [];
    private readonly List<ArticleChange> deletions = [];

    /// <summary>A new article, already added to the context: version 1.</summary>
    public void Create(Article article)
    {
        article.Version = 1;
        article.CreatedAt = now;
        article.UpdatedAt = now;
        revised.Add((article, ["created"]));
    }

    /// <summary>A change to an article as it stood in <paramref name="before"/>: its next version, naming the fields that differ.</summary>
    public void Revise(Article article, ArticleSnapshot before) => Revise(article, ArticleSnapshot.Of(article).ChangedFrom(before));

    /// <summary>A change to an article named by <paramref name="changedFields"/> (the importer's "imported"): its next version.</summary>
    public void Revise(Article article, IReadOnlyList<string> changedFields)
    {
        article.Version++;
        article.UpdatedAt = now;
        revised.Add((article, changedFields));
    }

    /// <summary>The same change to each of <paramref name="articles"/>, as a write of its own to each.</summary>
    public void Revise(IEnumerable<Article> articles, Action<Article> change)
    {
        foreach (var article in articles)
        {
            var before = ArticleSnapshot.Of(article);
            change(article);
            Revise(article, before);
        }
    }

    public void Delete(Article article)
    {
        db.Articles.Remove(article);
        deletions.Add(new ArticleChange(article.Id, article.Version, ["deleted"], author, Deleted: true));
    }

    /// <summary>Saves the write and its revisions and announces it; the caller commits.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        // The articles first: new ones (and tags made with them) get their ids, which the revisions' snapshots hold.
        await db.SaveChangesAsync(cancellationToken);
        var revisions = revised.Select(r => new ArticleRevision
        {
            ArticleId = r.Article.Id,
            Version = r.Article.Version,
            Snapshot = ArticleSnapshot.Of(r.Article).ToJson(),
            ChangedFields = r.ChangedFields.ToList(),
            Author = author,
            CreatedAt = now,
        }).ToList();
        db.ArticleRevisions.AddRange(revisions);
        await db.SaveChangesAsync(cancellationToken);

        var payloads = revisions.Select(ArticleChange.Of).Concat(deletions).Select(change => change.ToJson()).ToArray();
        if (payloads.Length > 0)
            // One statement however many articles a write touched (a tag merge may touch thousands).
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({ArticleChange.Channel}, payload) FROM unnest({payloads}) AS payload", cancellationToken);
        revised.Clear();
        deletions.Clear();
    }
}
