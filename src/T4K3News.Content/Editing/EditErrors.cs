namespace T4K3News.Content.Editing;

/// <summary>An expected reason a write was refused; nothing is written when there is one.</summary>
public abstract record EditError(string Message);

/// <summary>One bad field, named by its path in the client's input, e.g. "quotes[2].text".</summary>
public sealed record ValidationError(string Path, string Message) : EditError(Message);

public sealed record NotFoundError(string Id, string Message) : EditError(Message);

/// <summary>The object changed since the version the write was based on.</summary>
public sealed record ConcurrencyError(int ExpectedVersion, int CurrentVersion)
    : EditError($"The article changed meanwhile: you edited version {ExpectedVersion}, it is now at version {CurrentVersion}. Reload and apply your change again.");

public sealed record SlugTakenError(string Slug, string Message) : EditError(Message)
{
    public SlugTakenError(string slug)
        : this(slug, $"The slug '{slug}' is already taken.")
    {
    }

    /// <summary>The slug is another article's (tag's, author's) old slug, which still leads readers to it.</summary>
    public static SlugTakenError Redirecting(string slug, string noun = "article") =>
        new(slug, $"The slug '{slug}' was another {noun}'s until it was renamed, and it still redirects readers there; "
            + $"it is freed when that {noun} is deleted.");
}

/// <summary>The workflow does not allow this step from the current status, e.g. restoring an article that is not archived.</summary>
public sealed record InvalidStatusError(string Status, string Message) : EditError(Message);

public sealed record TagInUseError(int ArticleCount)
    : EditError($"The tag is on {ArticleCount} article(s); merge it into another tag, or delete it with force: true.");

public sealed record EditResult<T>(T? Value, IReadOnlyList<EditError> Errors)
{
    public static EditResult<T> Success(T value) => new(value, []);
    public static EditResult<T> Failure(params EditError[] errors) => new(default, errors);
    public static EditResult<T> Failure(IEnumerable<EditError> errors) => new(default, errors.ToList());
}
