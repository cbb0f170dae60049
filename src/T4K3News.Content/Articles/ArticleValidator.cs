using T4K3News.Content.Editing;

namespace T4K3News.Content.Articles;

/// <summary>The one set of rules every article passes before it is stored, whether it comes from a seed document or an editor.</summary>
public static class ArticleValidator
{
    public static IReadOnlyList<ValidationError> Validate(ArticleContent content, string slug)
    {
        var problems = new List<ValidationError>();

        if (!Slug.IsValid(slug))
            problems.Add(new("slug", "A slug is lowercase letters and digits in words joined by single hyphens, e.g. 'peace-talks-resume'."));
        else if (slug.Length > ArticleLimits.Slug)
            problems.Add(new("slug", $"A slug has at most {ArticleLimits.Slug} characters."));

        Required(problems, "title", content.Title, ArticleLimits.Title);
        Required(problems, "standfirst", content.Standfirst, ArticleLimits.Standfirst);
        Required(problems, "body", content.Body, ArticleLimits.Body);
        Optional(problems, "heroImageAltText", content.HeroImageAltText, ArticleLimits.HeroImageAltText);
        Optional(problems, "heroImageCaption", content.HeroImageCaption, ArticleLimits.HeroImageCaption);
        Optional(problems, "bodyHeading", content.BodyHeading, ArticleLimits.BodyHeading);
        Optional(problems, "analysis", content.Analysis, ArticleLimits.Analysis);
        Optional(problems, "closingLine", content.ClosingLine, ArticleLimits.ClosingLine);

        ListSize(problems, "takeaways", content.Takeaways.Count);
        for (var i = 0; i < content.Takeaways.Count; i++)
            Required(problems, $"takeaways[{i}]", content.Takeaways[i], ArticleLimits.ListItem);

        ListSize(problems, "quotes", content.Quotes.Count);
        for (var i = 0; i < content.Quotes.Count; i++)
        {
            var quote = content.Quotes[i];
            Required(problems, $"quotes[{i}].text", quote.Text, ArticleLimits.ListItem);
            Optional(problems, $"quotes[{i}].speaker", quote.Speaker, ArticleLimits.Speaker);
            Optional(problems, $"quotes[{i}].context", quote.Context, ArticleLimits.ListItem);
        }

        ListSize(problems, "highlights", content.Highlights.Count);
        for (var i = 0; i < content.Highlights.Count; i++)
            Required(problems, $"highlights[{i}]", content.Highlights[i], ArticleLimits.ListItem);

        ListSize(problems, "callouts", content.Callouts.Count);
        for (var i = 0; i < content.Callouts.Count; i++)
        {
            Required(problems, $"callouts[{i}].title", content.Callouts[i].Title, ArticleLimits.CalloutTitle);
            Required(problems, $"callouts[{i}].body", content.Callouts[i].Body, ArticleLimits.CalloutBody);
        }

        return problems;
    }

    private static void Required(List<ValidationError> problems, string path, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            problems.Add(new(path, "Required: it cannot be empty."));
        else
            Optional(problems, path, value, maxLength);
    }

    private static void Optional(List<ValidationError> problems, string path, string? value, int maxLength)
    {
        if (value is not null && StoredText.Problem(value, maxLength) is { } problem)
            problems.Add(new(path, problem));
    }

    private static void ListSize(List<ValidationError> problems, string path, int count)
    {
        if (count > ArticleLimits.ItemsPerList)
            problems.Add(new(path, $"At most {ArticleLimits.ItemsPerList} items (got {count})."));
    }
}
