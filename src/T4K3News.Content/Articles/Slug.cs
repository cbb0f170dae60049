using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace T4K3News.Content.Articles;

/// <summary>URL names of articles and tags: lowercase ASCII words joined by single hyphens.</summary>
public static partial class Slug
{
    public static string From(string title)
    {
        var letters = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
                continue;
            letters.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        return Hyphens().Replace(letters.ToString(), "-").Trim('-');
    }

    public static bool IsValid(string slug) => Format().IsMatch(slug);

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex Format();
}
