using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Authors;

/// <summary>The rules an article's bylines keep, checked with the rest of the article on every write.</summary>
public static class Bylines
{
    /// <summary>Checks the bylines inside the write's transaction.</summary>
    internal static async Task<List<EditError>> ValidateAsync(ContentDbContext db, Article article, CancellationToken cancellationToken)
    {
        var errors = new List<EditError>();
        if (article.Bylines.Count > AuthorLimits.BylinesPerArticle)
            errors.Add(new ValidationError("bylines", $"At most {AuthorLimits.BylinesPerArticle} bylines."));
        var authorIds = article.Bylines.Select(b => b.AuthorId).Distinct().ToList();
        if (authorIds.Count == 0)
            return errors;
        // Locked until the write commits: an author deleted meanwhile is either gone by now (and reported here) or waits
        // for this write, and then finds the article crediting them.
        var ids = authorIds.ToArray();
        var known = await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Authors" WHERE "Id" = ANY({ids}) FOR KEY SHARE""").ToListAsync(cancellationToken);
        errors.AddRange(article.Bylines.OrderBy(b => b.Position).Where(b => !known.Contains(b.AuthorId))
            .Select(b => new ValidationError($"bylines[{b.Position}].authorId", "This author was deleted meanwhile.")));
        return errors;
    }
}
