using T4K3News.Content.Editing;

namespace T4K3News.Content.Authors;

public sealed record AuthorInUseError(int ArticleCount)
    : EditError($"The author is credited on {ArticleCount} article(s); take them off those bylines, or delete the author with force: true.");
