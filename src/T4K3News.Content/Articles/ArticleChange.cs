using System.Text.Json;

namespace T4K3News.Content.Articles;

/// <summary>
/// A committed write to an article, as subscribers hear of it: announced by <see cref="ArticleWrite"/> for every
/// revision it stores and every article it deletes.
/// </summary>
public sealed record ArticleChange(int ArticleId, int Version, IReadOnlyList<string> ChangedFields, string Author, bool Deleted)
{
    public const string Channel = "t4k3news_article_changes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ArticleChange Of(ArticleRevision revision) =>
        new(revision.ArticleId, revision.Version, revision.ChangedFields, revision.Author, Deleted: false);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The change a notification carries, or null for a payload that is not one.</summary>
    public static ArticleChange? FromJson(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ArticleChange>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
