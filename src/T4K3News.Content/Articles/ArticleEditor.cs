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

    /// <summary>
    /// Creates a draft that <paramref name="draft"/> fills in. <paramref name="inputErrors"/> are problems the caller
    /// found in the input already (such as malformed ids), reported together with the rest. With
    /// <paramref name="deriveSlug"/> the slug comes from the title (<see cref="Slug.FreeAsync"/>): never refused,
    /// derived again when another write took it at the same moment.
    /// </summary>
    public async Task<EditResult<Article>> CreateAsync(
        Action<Article> draft, string author, CancellationToken cancellationToken,
        IReadOnlyList<EditError>? inputErrors = null, bool deriveSlug = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryCreateAsync(draft, author, deriveSlug, inputErrors, cancellationToken);
            if (!deriveSlug || attempt == MaxSlugAttempts || !result.Errors.Any(e => e is SlugTakenError))
                return result;
        }
    }

    /// <summary>How often a create derives its slug again when concurrent creates take the one it derived.</summary>
    internal const int MaxSlugAttempts = 10;

    private async Task<EditResult<Article>> TryCreateAsync(
        Action<Article> draft, string author, bool deriveSlug, IReadOnlyList<EditError>? inputErrors,
        CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var article = new Article();
        draft(article);
        (article.Status, article.PublishedAt) = (ArticleStatus.Draft, null);
        ArticleFields.Trim(article);
        if (deriveSlug)
            article.Slug = await FreeSlugAsync(db, article.Title, 0, cancellationToken);
        var errors = await ValidateAsync(db, article, cancellationToken);
        if (errors.Count > 0 || inputErrors is { Count: > 0 })
            return EditResult<Article>.Failure((inputErrors ?? []).Concat(errors));

        var write = Write(db, author, clock.GetUtcNow().UtcDateTime);
        article.Publication = await db.FindOrAddPublicationAsync(options.Value.DefaultPublication, cancellationToken);
        db.Articles.Add(article);
        write.Create(article);
        return await SaveAsync(write, transaction, article, cancellationToken);
    }

    /// <summary>
    /// The slug derived from <paramref name="title"/> that no article but <paramref name="articleId"/> (0 for a new
    /// one) has, nor had before a rename.
    /// </summary>
    internal static Task<string> FreeSlugAsync(
        ContentDbContext db, string title, int articleId, CancellationToken cancellationToken) =>
        Slug.FreeAsync(title, "article", ArticleLimits.Slug, prefix => db.Articles
            .Where(a => a.Slug.StartsWith(prefix) && a.Id != articleId).Select(a => a.Slug)
            .Concat(db.ArticleSlugHistory
                .Where(h => h.Slug.StartsWith(prefix) && h.ArticleId != articleId).Select(h => h.Slug))
            .ToListAsync(cancellationToken));

    /// <summary>
    /// Applies <paramref name="change"/> to the article as it stands (loaded whole), provided it is still at
    /// <paramref name="expectedVersion"/>; the change may refuse with errors instead. A change that changes nothing writes nothing.
    /// </summary>
    public async Task<EditResult<Article>> ChangeAsync(
        int articleId, int expectedVersion, string author, Func<Article, IReadOnlyList<EditError>> change, CancellationToken cancellationToken,
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
        if (change(article) is { Count: > 0 } refused)
            return EditResult<Article>.Failure(refused);
        ArticleFields.Trim(article);
        var errors = await ValidateAsync(db, article, cancellationToken);
        if (errors.Count > 0 || inputErrors is { Count: > 0 })
            return EditResult<Article>.Failure((inputErrors ?? []).Concat(errors));

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
        return ChangeAsync(articleId, expectedVersion, author, article =>
        {
            if (article.Status == ArticleStatus.Archived)
                return [new InvalidStatusError("ARCHIVED", "An archived article must be restored before it is published.")];
            if (when < EarliestPublicationTime || when > now.AddDays(options.Value.MaxScheduleDays))
                return [new ValidationError("at", $"A publication time lies between {EarliestPublicationTime:yyyy-MM-dd} and {options.Value.MaxScheduleDays} days from now.")];
            (article.Status, article.PublishedAt) = (ArticleStatus.Published, when);
            return [];
        }, cancellationToken);
    }

    public Task<EditResult<Article>> UnpublishAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        MoveAsync(articleId, expectedVersion, author, ArticleStatus.Published, ArticleStatus.Draft, "Only a published or scheduled article can be unpublished.", cancellationToken);

    public Task<EditResult<Article>> RestoreFromArchiveAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        MoveAsync(articleId, expectedVersion, author, ArticleStatus.Archived, ArticleStatus.Draft, "Only an archived article can be restored.", cancellationToken);

    public Task<EditResult<Article>> ArchiveAsync(int articleId, int expectedVersion, string author, CancellationToken cancellationToken) =>
        ChangeAsync(articleId, expectedVersion, author, article =>
        {
            if (article.Status == ArticleStatus.Archived)
                return [new InvalidStatusError("ARCHIVED", "The article is already archived.")];
            article.Status = ArticleStatus.Archived;
            return [];
        }, cancellationToken);

    /// <summary>Brings back the fields, tags, related articles and bylines of a revision as a new revision; the workflow status and the corrections stay.</summary>
    public async Task<EditResult<Article>> RestoreRevisionAsync(int articleId, long revisionId, int expectedVersion, string author, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var revision = await db.ArticleRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == revisionId && r.ArticleId == articleId, cancellationToken);
        if (revision is null)
            return EditResult<Article>.Failure(new NotFoundError($"ArticleRevision:{revisionId}", "This article has no such revision."));

        var restored = ArticleSnapshot.FromJson(revision.Snapshot);
        var (tagIds, relatedIds) = (restored.TagIds, restored.RelatedArticleIds);
        var existingTags = await db.Tags.Where(t => tagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        var existingRelated = await db.Articles.Where(a => relatedIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        // Authors deleted since cannot come back either; a revision from before bylines leaves them as they are.
        var restoredBylines = restored.Bylines;
        var authorIds = restoredBylines?.Select(b => b.AuthorId).ToList() ?? [];
        var existingAuthors = await db.Authors.Where(a => authorIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        return await ChangeAsync(articleId, expectedVersion, author, article =>
        {
            restored.RestoreFieldsOf(article);
            // Tags merged or deleted since, and articles deleted since, cannot come back.
            article.SetTags(tagIds.Where(existingTags.Contains));
            article.SetRelatedArticles(relatedIds.Where(existingRelated.Contains).ToList());
            if (restoredBylines is not null)
                article.SetBylines(restoredBylines.Where(b => existingAuthors.Contains(b.AuthorId)).ToList());
            return [];
        }, cancellationToken);
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
        ChangeAsync(articleId, expectedVersion, author, article =>
        {
            if (article.Status != from)
                return [new InvalidStatusError(article.Status.ToString().ToUpperInvariant(), refusal)];
            article.Status = to;
            return [];
        }, cancellationToken);

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

    private static async Task<List<EditError>> ValidateAsync(ContentDbContext db, Article article, CancellationToken cancellationToken)
    {
        var errors = new List<EditError>(ArticleValidator.Validate(article));
        if (errors.Count == 0 && await db.Articles.AnyAsync(a => a.Slug == article.Slug && a.Id != article.Id, cancellationToken))
            errors.Add(new SlugTakenError(article.Slug));
        else if (errors.Count == 0 && await db.ArticleSlugHistory.AnyAsync(h => h.Slug == article.Slug && h.ArticleId != article.Id, cancellationToken))
            errors.Add(SlugTakenError.Redirecting(article.Slug));

        var tagIds = article.ArticleTags.Select(t => t.TagId).ToList();
        if (tagIds.Count > ArticleLimits.ItemsPerList)
            errors.Add(new ValidationError("tagIds", $"At most {ArticleLimits.ItemsPerList} tags."));
        var knownTags = await db.Tags.Where(t => tagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        errors.AddRange(tagIds.Except(knownTags).Select(id => new NotFoundError($"Tag:{id}", $"There is no tag {id}.")));

        var relatedIds = article.RelatedArticles.OrderBy(r => r.Position).Select(r => r.RelatedArticleId).ToList();
        if (relatedIds.Count > ArticleLimits.ItemsPerList)
            errors.Add(new ValidationError("relatedArticleIds", $"At most {ArticleLimits.ItemsPerList} related articles."));
        if (article.Id != 0 && relatedIds.Contains(article.Id))
            errors.Add(new ValidationError("relatedArticleIds", "An article cannot be related to itself."));
        var knownArticles = await db.Articles.Where(a => relatedIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        errors.AddRange(relatedIds.Except(knownArticles).Select(ArticleNotFound));
        errors.AddRange(await Authors.Bylines.ValidateAsync(db, article, cancellationToken));
        return errors;
    }

    private static Task<Article?> LoadAsync(ContentDbContext db, int articleId, CancellationToken cancellationToken) =>
        Whole(db.Articles).SingleOrDefaultAsync(a => a.Id == articleId, cancellationToken);

    /// <summary>Articles with everything a snapshot reads.</summary>
    internal static IQueryable<Article> Whole(IQueryable<Article> articles) =>
        articles.Include(a => a.ArticleTags).Include(a => a.RelatedArticles).Include(a => a.Bylines).AsSplitQuery();

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
    private readonly List<Article> deletedArticles = [];

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
        deletedArticles.Add(article);
        deletions.Add(new ArticleChange(article.Id, article.Version, ["deleted"], author, Deleted: true));
    }

    /// <summary>Saves the write and its revisions and announces it (subscribers and webhooks); the caller commits.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await RecordSlugChangesAsync(cancellationToken);
        var webhookEvents = new Webhooks.ArticleWebhookEvents(db, now);
        webhookEvents.Before(revised.Select(r => r.Article).Concat(deletedArticles));
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
        var events = await webhookEvents.AfterAsync(revised.Select(r => r.Article), deletedArticles, cancellationToken);
        if (payloads.Length > 0)
            // One statement however many articles a write touched (a tag merge may touch thousands), with the outbox rows.
            await Webhooks.WebhookOutbox.AnnounceAsync(db, ArticleChange.Channel, payloads, events, now, cancellationToken);
        revised.Clear();
        deletions.Clear();
        deletedArticles.Clear();
    }

    /// <summary>
    /// Every slug a revised article leaves keeps leading to it (<see cref="ArticleSlugHistory"/>); a slug it takes back
    /// is its current one again. Read from the change tracker, so every write path records it.
    /// </summary>
    private async Task RecordSlugChangesAsync(CancellationToken cancellationToken)
    {
        foreach (var (article, _) in revised)
        {
            var entry = db.Entry(article);
            if (entry.State != Microsoft.EntityFrameworkCore.EntityState.Modified || entry.Property(a => a.Slug).OriginalValue is not { } old || old == article.Slug)
                continue;
            await db.ArticleSlugHistory.Where(h => h.ArticleId == article.Id && h.Slug == article.Slug).ExecuteDeleteAsync(cancellationToken);
            db.ArticleSlugHistory.Add(new ArticleSlugHistory { Slug = old, ArticleId = article.Id, ReplacedAt = now });
        }
    }
}
