using T4K3News.Content.Articles;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Corrections;

/// <summary>
/// Adds corrections to articles, as an editorial write like any other (<see cref="ArticleEditor.ChangeAsync"/>): it
/// checks the version, bumps it, updates the article's time, keeps a revision and is announced.
/// </summary>
public sealed class CorrectionDesk(ArticleEditor editor, TimeProvider clock)
{
    public Task<EditResult<Article>> AddAsync(int articleId, int expectedVersion, CorrectionKind kind, string? text, string author, CancellationToken cancellationToken)
    {
        var note = text?.Trim() ?? "";
        var problem = string.IsNullOrEmpty(note) ? "Required: it cannot be empty." : StoredText.Problem(note, CorrectionLimits.Text);
        return editor.ChangeAsync(articleId, expectedVersion, author, article =>
        {
            if (problem is not null)
                return [new ValidationError("text", problem)];
            if (article.Corrections.Count >= CorrectionLimits.PerArticle)
                return [new ValidationError("articleId", $"An article carries at most {CorrectionLimits.PerArticle} corrections.")];
            article.Corrections = [.. article.Corrections, new Correction { Kind = kind, Text = note, CreatedAt = Microseconds(clock.GetUtcNow().UtcDateTime) }];
            return [];
        }, cancellationToken);
    }

    // What PostgreSQL keeps of a time, so that the write's answer shows what every later read shows.
    private static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % 10, DateTimeKind.Utc);
}
