using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace T4K3News.Content.Articles;

/// <summary>
/// Everything a revision keeps of an article, as JSON: its status and publication time, every field editors write (as
/// <see cref="ArticleFields"/> declares them), its tags (their ids, as a set), its related articles (their ids, in
/// order), its bylines (authors' ids and roles, in order) and its corrections. What a restore brings back (corrections
/// excepted: they are never taken back), and what tells which fields a write changed.
/// </summary>
public sealed class ArticleSnapshot
{
    private const string TagIdsKey = "tagIds";
    private const string RelatedArticleIdsKey = "relatedArticleIds";
    private const string BylinesKey = "bylines";
    private const string CorrectionsKey = "corrections";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The editable fields, and the workflow's two, in the article's declaration order.</summary>
    private static readonly IReadOnlyList<PropertyInfo> Kept = ArticleFields.Declared(typeof(Article))
        .Where(p => p.Name is nameof(Article.Status) or nameof(Article.PublishedAt) || ArticleFields.Editable.Any(f => f.Property.Name == p.Name))
        .ToList();

    private static readonly IReadOnlyList<string> Keys = [.. Kept.Select(p => ArticleFields.NameOf(p.Name)), TagIdsKey, RelatedArticleIdsKey, BylinesKey, CorrectionsKey];

    /// <summary>Fields the schema shows under another name: the hero image's texts are one object, the links are lists of objects.</summary>
    private static readonly Dictionary<string, string> SchemaNames = new()
    {
        [ArticleFields.NameOf(nameof(Article.HeroImageAltText))] = "heroImage",
        [ArticleFields.NameOf(nameof(Article.HeroImageCaption))] = "heroImage",
        [TagIdsKey] = "tags",
        [RelatedArticleIdsKey] = "relatedArticles",
        [BylinesKey] = "authors",
    };

    private readonly JsonObject json;

    private ArticleSnapshot(JsonObject json) => this.json = json;

    /// <summary>Reads a loaded article; its tags, related links and bylines must be loaded.</summary>
    public static ArticleSnapshot Of(Article article)
    {
        var json = new JsonObject();
        foreach (var property in Kept)
            json[ArticleFields.NameOf(property.Name)] = JsonSerializer.SerializeToNode(property.GetValue(article), property.PropertyType, Json);
        // Tags are a set: the same tags in another order are no change.
        json[TagIdsKey] = JsonSerializer.SerializeToNode(article.ArticleTags.Select(t => t.TagId).Distinct().Order().ToList(), Json);
        json[RelatedArticleIdsKey] = JsonSerializer.SerializeToNode(article.RelatedArticles.OrderBy(r => r.Position).Select(r => r.RelatedArticleId).ToList(), Json);
        json[BylinesKey] = JsonSerializer.SerializeToNode(article.Bylines.OrderBy(b => b.Position).Select(b => new SnapshotByline(b.AuthorId, b.Role)).ToList(), Json);
        json[CorrectionsKey] = JsonSerializer.SerializeToNode(article.Corrections, Json);
        return new(json);
    }

    public static ArticleSnapshot FromJson(string json) => new(JsonNode.Parse(json)!.AsObject());

    public string ToJson() => json.ToJsonString(Json);

    public string? Title => (string?)json[ArticleFields.NameOf(nameof(Article.Title))];

    public IReadOnlyList<int> TagIds => json[TagIdsKey].Deserialize<List<int>>(Json) ?? [];

    public IReadOnlyList<int> RelatedArticleIds => json[RelatedArticleIdsKey].Deserialize<List<int>>(Json) ?? [];

    /// <summary>The bylines in order; null for a snapshot from before articles had bylines.</summary>
    public IReadOnlyList<(int AuthorId, BylineRole Role)>? Bylines =>
        json[BylinesKey]?.Deserialize<List<SnapshotByline>>(Json)?.Select(b => (b.AuthorId, b.Role)).ToList();

    /// <summary>The names (as the GraphQL schema spells them) of the fields that differ from <paramref name="before"/>.</summary>
    public IReadOnlyList<string> ChangedFrom(ArticleSnapshot before) =>
        Keys.Where(key => !JsonNode.DeepEquals(json[key], before.json[key])).Select(key => SchemaNames.GetValueOrDefault(key, key)).Distinct().ToList();

    /// <summary>Sets the article's editable fields as the snapshot has them; a field the snapshot does not know (it is newer) stays.</summary>
    public void RestoreFieldsOf(Article article)
    {
        foreach (var field in ArticleFields.Editable)
        {
            if (json.TryGetPropertyValue(field.Name, out var value))
                field.SetValue(article, value.Deserialize(field.Property.PropertyType, Json));
        }
    }
}

internal sealed record SnapshotByline(int AuthorId, BylineRole Role);
