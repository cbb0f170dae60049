namespace T4K3News.Api.Search;

/// <summary>What a search text asks for, read as <c>websearch_to_tsquery</c> reads it, before any SQL runs.</summary>
public static class SearchQueryText
{
    /// <summary>
    /// Whether the text only excludes (<c>-foo</c>, <c>-foo -"a phrase"</c>, <c>-foo or -bar</c>): such a query matches
    /// nearly every article, so PostgreSQL would rank and count the whole table for it.
    /// </summary>
    public static bool IsNegationOnly(string text)
    {
        var (excluded, included) = (false, false);
        for (var i = 0; i < text.Length;)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var negated = text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            var start = negated ? i + 1 : i;
            int end;
            if (start < text.Length && text[start] == '"')
            {
                end = text.IndexOf('"', start + 1);
                end = end < 0 ? text.Length : end + 1;
            }
            else
            {
                end = start;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                    end++;
            }

            var term = text[start..end];
            i = Math.Max(end, i + 1);
            // "or" between terms is an operator; a term with no letter or digit is no word at all.
            if ((!negated && term.Equals("or", StringComparison.OrdinalIgnoreCase)) || !term.Any(char.IsLetterOrDigit))
                continue;
            if (negated)
                excluded = true;
            else
                included = true;
        }

        return excluded && !included;
    }
}
