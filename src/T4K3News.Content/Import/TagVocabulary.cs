using System.Text.Json;
using System.Text.RegularExpressions;
using T4K3News.Content.Articles;
using T4K3News.Content.Editing;
using T4K3News.Content.Tags;

namespace T4K3News.Content.Import;

/// <summary>Why an article carries a tag: the word of its text that implies it.</summary>
public sealed record TagMatch(string Name, string Slug, string Word);

public sealed record TagDefinition(string Name, string Slug, IReadOnlyList<string> Words);

/// <summary>The editable list of tags in seeds/tags.json, each with the words that imply it.</summary>
public sealed class TagVocabulary
{
    private readonly IReadOnlyList<(TagDefinition Tag, Regex[] Words)> tags;

    public TagVocabulary(IEnumerable<TagDefinition> definitions) =>
        tags = definitions.Select(d => (d, d.Words.Select(WholeWord).ToArray())).ToList();

    public static TagVocabulary Empty { get; } = new([]);

    public static TagVocabulary Load(string path)
    {
        List<TagDefinition>? definitions;
        try
        {
            definitions = JsonSerializer.Deserialize<List<TagDefinition>>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid tag vocabulary ({e.Message}).", e);
        }

        var problems = (definitions ?? [])
            .Select((d, i) => d switch
            {
                { Name: null or "" } => $"tag {i + 1} has no name",
                { Name: var name } when StoredText.Problem(name, TagLimits.Name) is { } problem => $"tag {i + 1}'s name: {problem}",
                { Slug: var slug } when slug is null || !Slug.IsValid(slug) || slug.Length > TagLimits.Slug => $"tag '{d.Name}' has no valid slug (at most {TagLimits.Slug} characters)",
                { Words: null or [] } => $"tag '{d.Name}' has no words",
                _ => null,
            })
            .OfType<string>()
            .ToList();
        if (definitions is null || problems.Count > 0)
            throw new InvalidDataException($"{path}: {(definitions is null ? "empty" : string.Join("; ", problems))}.");

        return new TagVocabulary(definitions);
    }

    public IReadOnlyList<TagMatch> Match(Article article)
    {
        // Every text of the article but its slug, an address derived from the title.
        var text = string.Join("\n", ArticleFields.Texts(article, field => field.Property.Name != nameof(Article.Slug))).Replace('’', '\'');
        var matches = new List<TagMatch>();
        foreach (var (tag, words) in tags)
        {
            for (var i = 0; i < words.Length; i++)
            {
                if (words[i].IsMatch(text))
                {
                    matches.Add(new TagMatch(tag.Name, tag.Slug, tag.Words[i]));
                    break;
                }
            }
        }

        return matches;
    }

    private static Regex WholeWord(string word) =>
        new($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(word.Replace('’', '\''))}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
