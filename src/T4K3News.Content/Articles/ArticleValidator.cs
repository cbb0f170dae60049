using System.Collections;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Articles;

/// <summary>The one set of rules every article passes before it is stored, whether it comes from a seed document or an editor.</summary>
public static class ArticleValidator
{
    /// <summary>Every problem of the article's editable fields (as <see cref="ArticleFields"/> declares them), named by path.</summary>
    public static IReadOnlyList<ValidationError> Validate(Article article)
    {
        var problems = new List<ValidationError>();

        // The slug is an address, not text: a format of its own.
        if (!Slug.IsValid(article.Slug))
            problems.Add(new("slug", "A slug is lowercase letters and digits in words joined by single hyphens, e.g. 'peace-talks-resume'."));
        else if (article.Slug.Length > ArticleLimits.Slug)
            problems.Add(new("slug", $"A slug has at most {ArticleLimits.Slug} characters."));

        foreach (var field in ArticleFields.Editable.Where(f => f.Property.Name != nameof(Article.Slug)))
        {
            if (field.Text is { } text)
            {
                Check(problems, field.Name, text, text.Get(article));
            }
            else if (field.Item is { } item)
            {
                var items = ((IEnumerable)field.GetValue(article)!).Cast<object>().ToList();
                if (items.Count > ArticleLimits.ItemsPerList)
                    problems.Add(new(field.Name, $"At most {ArticleLimits.ItemsPerList} items (got {items.Count})."));
                for (var i = 0; i < items.Count; i++)
                {
                    foreach (var itemText in item.Texts)
                        Check(problems, item.IsOneText ? $"{field.Name}[{i}]" : $"{field.Name}[{i}].{itemText.Name}", itemText, itemText.Get(items[i]));
                }
            }
        }

        return problems;
    }

    private static void Check(List<ValidationError> problems, string path, TextRule rule, string? value)
    {
        if (rule.Problem(value) is { } problem)
            problems.Add(new(path, problem));
    }
}
