using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;

namespace T4K3News.Content.Import;

/// <summary>
/// Turns a folder of seed documents into published articles. Each document is its own transaction, so one bad file
/// never stops the others. Importing the same folder twice changes nothing; an article an editor has changed since its
/// import is left alone, one an editor deleted is not brought back (both reported as skipped), and tags editors merged
/// or deleted stay so. Instances importing at once (several starting together) take turns, document by document.
/// </summary>
public sealed class SeedImporter(IDbContextFactory<ContentDbContext> databases, TimeProvider clock, IOptions<ImportOptions> options)
{
    public const string TagVocabularyFile = "tags.json";
    public const string ImportAuthor = "import";

    /// <summary>The PostgreSQL advisory lock every import transaction holds (any number, fixed: "t4k3" in ASCII).</summary>
    private const long ImportLock = 0x74346B33;

    public async Task<ImportReport> ImportFolderAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The seeds folder '{folder}' does not exist.");

        var vocabularyPath = Path.Combine(folder, TagVocabularyFile);
        var vocabulary = File.Exists(vocabularyPath) ? TagVocabulary.Load(vocabularyPath) : TagVocabulary.Empty;
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

        var documents = new List<ImportedDocument>();
        var relatedTitles = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            var (result, related) = await ImportDocumentAsync(path, vocabulary, timeZone, cancellationToken);
            documents.Add(result);
            if (related is not null && result.Slug is not null && result.Outcome is not (ImportOutcome.Skipped or ImportOutcome.Failed))
                relatedTitles[result.Slug] = related;
        }

        var warnings = await LinkRelatedArticlesAsync(relatedTitles, cancellationToken);
        return new ImportReport(documents, warnings);
    }

    private async Task<(ImportedDocument Result, IReadOnlyList<string>? RelatedTitles)> ImportDocumentAsync(
        string path, TagVocabulary vocabulary, TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var parsed = SeedDocumentParser.Parse(text);
        if (parsed.Error is { } error)
            return (new ImportedDocument(file, ImportOutcome.Failed, null, error.Message, error.Line), null);

        var document = parsed.Document!;
        var draft = document.Content;
        ArticleFields.Trim(draft);
        // The slug the article will have, as far as it can be known before the database says which are taken.
        var readable = Slug.From(draft.Title);
        var slug = draft.Slug = Slug.Cut(readable.Length > 0 ? readable : "article", ArticleLimits.Slug);
        var problems = ArticleValidator.Validate(draft).ToList();
        if (StoredText.Problem(document.PublicationName, PublicationLimits.Name) is { } publicationProblem)
            problems.Add(new ValidationError("publication", publicationProblem));
        if (StoredText.Problem(file, ArticleLimits.SourceFile) is { } fileProblem)
            problems.Add(new ValidationError("file name", fileProblem));
        if (problems.Count > 0)
        {
            var message = string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"));
            return (new ImportedDocument(file, ImportOutcome.Failed, slug, message), null);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var publishedAt = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(document.PublishedAtLocal, DateTimeKind.Unspecified), timeZone);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteDocumentAsync(file, document, hash, publishedAt, vocabulary, cancellationToken);
            }
            catch (DbUpdateException e)
                when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
            {
                // An editor took the slug derived for the article at the same moment: derive again. (Or a new tag's
                // slug, which the vocabulary gives and is not derived.)
                if (unique.ConstraintName == "IX_Articles_Slug" && attempt < ArticleEditor.MaxSlugAttempts)
                    continue;
                var message = $"written meanwhile by an editor ({unique.ConstraintName}); import again";
                return (new ImportedDocument(file, ImportOutcome.Failed, slug, message), null);
            }
        }
    }

    private async Task<(ImportedDocument Result, IReadOnlyList<string>? RelatedTitles)> WriteDocumentAsync(
        string file, SeedDocument document, string hash, DateTime publishedAt, TagVocabulary vocabulary,
        CancellationToken cancellationToken)
    {
        var draft = document.Content;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await BeginImportTransactionAsync(db, cancellationToken);

        if (await db.DeletedSeedSources.AsNoTracking().SingleOrDefaultAsync(d => d.SourceFile == file, cancellationToken) is { } deleted)
            return (new ImportedDocument(file, ImportOutcome.Skipped, deleted.Slug, $"deleted in the CMS by {deleted.DeletedBy}; not re-created"), null);

        var article = await db.Articles
            .Include(a => a.ArticleTags).ThenInclude(t => t.Tag)
            .Include(a => a.RelatedArticles)
            .AsSplitQuery()
            .SingleOrDefaultAsync(a => a.SourceFile == file, cancellationToken);

        var write = ArticleEditor.Write(db, ImportAuthor, now);
        ImportOutcome outcome;
        if (article is null)
        {
            article = new Article { SourceFile = file };
            db.Articles.Add(article);
            outcome = ImportOutcome.Created;
        }
        else if (article.Version != article.ImportedVersion)
        {
            return (new ImportedDocument(file, ImportOutcome.Skipped, article.Slug,
                $"edited in the CMS since its import (version {article.Version}, imported as version {article.ImportedVersion}); not overwritten"), null);
        }
        else if (article.SourceHash == hash)
        {
            return (new ImportedDocument(file, ImportOutcome.Unchanged, article.Slug), document.RelatedTitles);
        }
        else
        {
            outcome = ImportOutcome.Updated;
        }

        // The editors' rule: a slug derived from the title, free among every other article's slugs old and new. An
        // article keeps its slug while its title stays: a slug never changes by itself.
        draft.Slug = outcome == ImportOutcome.Updated && article.Title == draft.Title
            ? article.Slug
            : await ArticleEditor.FreeSlugAsync(db, draft.Title, article.Id, cancellationToken);
        draft.CopyFieldsTo(article);
        article.PublishedAt = publishedAt;
        article.Status = ArticleStatus.Published;
        article.SourceHash = hash;
        article.Publication = await db.FindOrAddPublicationAsync(document.PublicationName, cancellationToken);
        await SetTagsAsync(db, article, vocabulary.Match(draft), cancellationToken);
        if (outcome == ImportOutcome.Created)
            write.Create(article);
        else
            write.Revise(article, ["imported"]);
        article.ImportedVersion = article.Version;

        await write.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new ImportedDocument(file, outcome, article.Slug), document.RelatedTitles);
    }

    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginImportTransactionAsync(ContentDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ImportLock})", cancellationToken);
        return transaction;
    }

    /// <summary>
    /// Tags the article with the vocabulary's matches as editors have shaped the tags since: a slug renamed or merged
    /// away leads to the tag it became, and a tag editors deleted is not made again.
    /// </summary>
    private static async Task SetTagsAsync(ContentDbContext db, Article article, IReadOnlyList<TagMatch> matches, CancellationToken cancellationToken)
    {
        var slugs = matches.Select(m => m.Slug).Distinct().ToList();
        var existing = await db.Tags.Where(t => slugs.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, cancellationToken);
        var moved = await db.TagSlugHistory.Where(h => slugs.Contains(h.Slug))
            .Join(db.Tags, h => h.TagId, t => t.Id, (h, t) => new { h.Slug, Tag = t })
            .ToDictionaryAsync(m => m.Slug, m => m.Tag, cancellationToken);
        var deleted = await db.DeletedTags.Where(d => slugs.Contains(d.Slug)).Select(d => d.Slug).ToListAsync(cancellationToken);

        var wanted = new List<Tag>();
        foreach (var match in matches.DistinctBy(m => m.Slug))
        {
            var tag = existing.GetValueOrDefault(match.Slug) ?? moved.GetValueOrDefault(match.Slug);
            if (tag is null && deleted.Contains(match.Slug))
                continue;
            tag ??= db.Tags.Add(new Tag { Slug = match.Slug, Name = match.Name }).Entity;
            if (!wanted.Contains(tag))
                wanted.Add(tag);
        }

        article.ArticleTags.RemoveAll(t => !wanted.Contains(t.Tag));
        article.ArticleTags.AddRange(wanted.Where(tag => article.ArticleTags.All(t => t.Tag != tag)).Select(tag => new ArticleTag { Tag = tag }));
    }

    /// <summary>Related News names other articles by title, which may come from a later file, so links are made once every document is in.</summary>
    private async Task<IReadOnlyList<string>> LinkRelatedArticlesAsync(Dictionary<string, IReadOnlyList<string>> relatedTitles, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        if (relatedTitles.Count == 0)
            return warnings;

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await BeginImportTransactionAsync(db, cancellationToken);
        var wantedSlugs = relatedTitles.Values.SelectMany(titles => titles).Select(RelatedSlug).Distinct().ToList();
        var idsBySlug = await db.Articles.Where(a => wantedSlugs.Contains(a.Slug)).ToDictionaryAsync(a => a.Slug, a => a.Id, cancellationToken);
        var articles = await db.Articles.Include(a => a.RelatedArticles)
            .Where(a => relatedTitles.Keys.Contains(a.Slug))
            .ToListAsync(cancellationToken);

        foreach (var article in articles)
        {
            var wanted = new List<int>();
            foreach (var title in relatedTitles[article.Slug])
            {
                if (idsBySlug.TryGetValue(RelatedSlug(title), out var id) && id != article.Id)
                {
                    if (!wanted.Contains(id))
                        wanted.Add(id);
                }
                else
                {
                    warnings.Add($"{article.SourceFile}: related article '{title}' was not found");
                }
            }

            article.SetRelatedArticles(wanted);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return warnings;
    }

    /// <summary>The slug an article with this title would be found by (its readable slug, cut to the limit).</summary>
    private static string RelatedSlug(string title) => Slug.Cut(Slug.From(title), ArticleLimits.Slug);
}
