namespace T4K3News.Content.Authors;

/// <summary>
/// A committed change to an author (created, changed, deleted), announced by <see cref="ContentDbContext"/> with NOTIFY
/// in the write's transaction, like a <see cref="Tags.TagChange"/>; the payload is the author's id. Taking an author off
/// articles is announced as article changes too.
/// </summary>
public static class AuthorChange
{
    public const string Channel = "t4k3news_author_changes";
}
