using Microsoft.EntityFrameworkCore;
using Npgsql;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Authors;

/// <summary>The fields of an author a write gives; null leaves a field as it is, an empty bio or URL clears it.</summary>
public sealed record AuthorChanges(string? Name, string? Slug, string? Bio, string? Url);

/// <summary>
/// Editing the authors bylines credit. Changing an author is not a write to their articles (they keep the same byline);
/// deleting one still credited removes the byline from each article as a versioned write.
/// </summary>
public sealed class AuthorEditor(IDbContextFactory<ContentDbContext> databases, TimeProvider clock)
{
    /// <summary>Creates an author; without a slug theirs is derived from the name, which is never refused.</summary>
    public async Task<EditResult<Author>> CreateAsync(AuthorChanges input, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryCreateAsync(input, cancellationToken);
            // Another write took the derived slug at the same moment: derive again.
            if (input.Slug is not null || attempt == ArticleEditor.MaxSlugAttempts
                || !result.Errors.Any(e => e is SlugTakenError))
                return result;
        }
    }

    private async Task<EditResult<Author>> TryCreateAsync(AuthorChanges input, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var slug = input.Slug?.Trim() ?? await FreeSlugAsync(db, input.Name ?? "", cancellationToken);
        var author = new Author { Name = input.Name?.Trim() ?? "", Slug = slug };
        Apply(author, input with { Name = null, Slug = null });
        var errors = await ValidateAsync(db, author, cancellationToken);
        if (errors.Count > 0)
            return EditResult<Author>.Failure(errors);
        db.Authors.Add(author);
        return await SaveAsync(db, author, cancellationToken);
    }

    /// <summary>The slug derived from <paramref name="name"/> that no author has, nor had before a change.</summary>
    private static Task<string> FreeSlugAsync(ContentDbContext db, string name, CancellationToken cancellationToken) =>
        Articles.Slug.FreeAsync(name, "author", AuthorLimits.Slug, prefix => db.Authors
            .Where(a => a.Slug.StartsWith(prefix)).Select(a => a.Slug)
            .Concat(db.AuthorSlugHistory.Where(h => h.Slug.StartsWith(prefix)).Select(h => h.Slug))
            .ToListAsync(cancellationToken));

    /// <summary>Changes an author; a slug they leave keeps leading to them, and no other author may take it.</summary>
    public async Task<EditResult<Author>> UpdateAsync(int authorId, AuthorChanges input, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var author = await db.Authors.SingleOrDefaultAsync(a => a.Id == authorId, cancellationToken);
        if (author is null)
            return EditResult<Author>.Failure(AuthorNotFound(authorId));
        var oldSlug = author.Slug;
        Apply(author, input);
        var errors = await ValidateAsync(db, author, cancellationToken);
        if (errors.Count > 0)
            return EditResult<Author>.Failure(errors);
        if (oldSlug != author.Slug)
        {
            await db.AuthorSlugHistory.Where(h => h.Slug == author.Slug && h.AuthorId == author.Id)
                .ExecuteDeleteAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            db.AuthorSlugHistory.Add(new AuthorSlugHistory { Slug = oldSlug, AuthorId = author.Id, ReplacedAt = now });
        }

        var saved = await SaveAsync(db, author, cancellationToken);
        if (saved.Errors.Count == 0)
            await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>Deletes an author; one still credited only with <paramref name="force"/>, and each such article gets a new version and revision.</summary>
    public async Task<EditResult<Author>> DeleteAsync(int authorId, bool force, string editor, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked first: an article write crediting the author meanwhile either committed before (and is counted here)
        // or waits, and then finds the author gone.
        var author = await db.Authors.FromSql($"""SELECT * FROM "Authors" WHERE "Id" = {authorId} FOR UPDATE""").SingleOrDefaultAsync(cancellationToken);
        if (author is null)
            return EditResult<Author>.Failure(AuthorNotFound(authorId));
        var uses = await db.ArticleBylines.Where(b => b.AuthorId == authorId).Select(b => b.ArticleId).Distinct().CountAsync(cancellationToken);
        if (uses > 0 && !force)
            return EditResult<Author>.Failure(new AuthorInUseError(uses));

        // The articles are locked first, so an editor saving one of them meanwhile waits and then gets a concurrency
        // error instead of bringing the byline back.
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM "Articles" WHERE "Id" IN (SELECT "ArticleId" FROM "ArticleBylines" WHERE "AuthorId" = {authorId}) ORDER BY "Id" FOR UPDATE""", cancellationToken);
        var articles = await ArticleEditor.Whole(db.Articles.Where(a => a.Bylines.Any(b => b.AuthorId == authorId))).ToListAsync(cancellationToken);
        var write = ArticleEditor.Write(db, editor, clock.GetUtcNow().UtcDateTime);
        write.Revise(articles, article => article.SetBylines(
            article.Bylines.OrderBy(b => b.Position).Where(b => b.AuthorId != authorId).Select(b => (b.AuthorId, b.Role)).ToList()));
        db.Authors.Remove(author);
        await write.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return EditResult<Author>.Success(author);
    }

    private static void Apply(Author author, AuthorChanges input)
    {
        author.Name = input.Name?.Trim() ?? author.Name;
        author.Slug = input.Slug?.Trim() ?? author.Slug;
        author.Bio = input.Bio?.Trim() ?? author.Bio;
        if (input.Url is not null)
            author.Url = string.IsNullOrWhiteSpace(input.Url) ? null : input.Url.Trim();
    }

    private static async Task<EditResult<Author>> SaveAsync(ContentDbContext db, Author author, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return EditResult<Author>.Success(author);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another editor deleted the author meanwhile.
            return EditResult<Author>.Failure(AuthorNotFound(author.Id));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another editor took the slug at the same moment.
            return EditResult<Author>.Failure(new SlugTakenError(author.Slug));
        }
    }

    private static async Task<List<EditError>> ValidateAsync(ContentDbContext db, Author author, CancellationToken cancellationToken)
    {
        var errors = new List<EditError>();
        if (string.IsNullOrWhiteSpace(author.Name))
            errors.Add(new ValidationError("name", "Required: it cannot be empty."));
        else if (StoredText.OneLineProblem(author.Name, AuthorLimits.Name) is { } nameProblem)
            errors.Add(new ValidationError("name", nameProblem));
        if (StoredText.Problem(author.Bio, AuthorLimits.Bio) is { } bioProblem)
            errors.Add(new ValidationError("bio", bioProblem));
        if (author.Url is { } url && (StoredText.Problem(url, AuthorLimits.Url) ?? UrlProblem(url)) is { } urlProblem)
            errors.Add(new ValidationError("url", urlProblem));
        if (!Articles.Slug.IsValid(author.Slug) || author.Slug.Length > AuthorLimits.Slug)
            errors.Add(new ValidationError("slug", $"A slug is lowercase letters and digits in words joined by single hyphens, at most {AuthorLimits.Slug} characters."));
        else if (await db.Authors.AnyAsync(a => a.Slug == author.Slug && a.Id != author.Id, cancellationToken))
            errors.Add(new SlugTakenError(author.Slug));
        else if (await db.AuthorSlugHistory
                     .AnyAsync(h => h.Slug == author.Slug && h.AuthorId != author.Id, cancellationToken))
            errors.Add(SlugTakenError.Redirecting(author.Slug, "author"));
        return errors;
    }

    private static string? UrlProblem(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host) && !url.Any(char.IsWhiteSpace)
            ? null
            : "An absolute http:// or https:// URL.";

    private static NotFoundError AuthorNotFound(int id) => new($"Author:{id}", $"There is no author {id}.");
}
