namespace T4K3News.Content.Tags;

/// <summary>
/// A committed change to a tag itself (created, renamed, merged away, deleted), announced like an
/// <see cref="Articles.ArticleChange"/> by <see cref="ContentDbContext"/> with NOTIFY in the write's transaction; the
/// payload is the tag's id. What it does to articles (a merge, a forced delete) is announced as article changes too.
/// </summary>
public static class TagChange
{
    public const string Channel = "t4k3news_tag_changes";
}
