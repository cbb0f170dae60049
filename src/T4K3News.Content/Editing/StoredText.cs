namespace T4K3News.Content.Editing;

/// <summary>
/// Text as PostgreSQL can keep it: no longer than its column, no NUL character (text columns refuse it) and no half of
/// a surrogate pair (it has no UTF-8 form). Client text breaking these is refused; text the server writes for itself
/// (the audit log) is clipped to fit instead.
/// </summary>
public static class StoredText
{
    public const char Replacement = '\uFFFD';

    /// <summary>Why <paramref name="value"/> cannot be stored in a column of <paramref name="maxLength"/> characters, or null when it can.</summary>
    public static string? Problem(string value, int maxLength) =>
        value.Length > maxLength ? $"At most {maxLength} characters (got {value.Length})."
        : !IsStorable(value) ? "Contains a character that cannot be stored: a NUL character or half of a surrogate pair."
        : null;

    /// <summary>
    /// Why <paramref name="value"/> cannot be a one-line text (a headline, a standfirst, a name) of at most
    /// <paramref name="maxLength"/> characters, or null when it can: such texts reach feeds, titles and HTTP headers,
    /// where a line break or a control character breaks or forges lines.
    /// </summary>
    public static string? OneLineProblem(string value, int maxLength) =>
        Problem(value, maxLength)
        ?? (IsOneLine(value) ? null : "One line: no line breaks, tabs or other control characters.");

    public static bool IsOneLine(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
                return false;
        }

        return true;
    }

    public static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                    return false;
                i++;
            }
        }

        return true;
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters of <paramref name="value"/>, cut between characters (never inside a
    /// surrogate pair), with whatever cannot be stored replaced by U+FFFD.
    /// </summary>
    public static string Clip(string value, int maxLength)
    {
        if (!IsStorable(value))
            value = Repaired(value);
        if (value.Length <= maxLength)
            return value;
        var end = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..end];
    }

    private static string Repaired(string value)
    {
        var characters = value.ToCharArray();
        for (var i = 0; i < characters.Length; i++)
        {
            if (char.IsHighSurrogate(characters[i]) && i + 1 < characters.Length && char.IsLowSurrogate(characters[i + 1]))
                i++;
            else if (characters[i] == '\0' || char.IsSurrogate(characters[i]))
                characters[i] = Replacement;
        }

        return new string(characters);
    }
}
