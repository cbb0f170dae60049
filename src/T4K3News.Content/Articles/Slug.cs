using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AnyAscii;

namespace T4K3News.Content.Articles;

/// <summary>
/// URL names of articles, tags and authors: lowercase ASCII words joined by single hyphens. The one rule that turns a
/// title or a name in any script into one (<see cref="From"/>), and that picks a free one (<see cref="FreeAsync"/>):
/// the editors' mutations and the importer all derive slugs here.
/// </summary>
public static partial class Slug
{
    /// <summary>
    /// The readable slug of a title or name, however long: Unicode-normalised, diacritics removed, other scripts
    /// transliterated (AnyAscii; Ukrainian by its national table, as <paramref name="language"/> "uk" or its own
    /// letters say), apostrophes joined, everything else (spaces, punctuation, symbols, emoji) a word break. Empty when
    /// nothing in the text has an ASCII reading.
    /// </summary>
    public static string From(string title, string? language = null)
    {
        // Half a surrogate pair cannot be normalised (the API refuses such text before, other callers may not).
        var text = string.Concat(title.EnumerateRunes().Select(r => r == Rune.ReplacementChar ? " " : r.ToString()))
            .Normalize(NormalizationForm.FormKC);
        var ukrainian = language is not null
            ? language.StartsWith("uk", StringComparison.OrdinalIgnoreCase)
            : HasUkrainianLetters(text);
        var slug = new StringBuilder(text.Length);
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsApostrophe(rune))
                continue;
            var category = Rune.GetUnicodeCategory(rune);
            if (IsIdeograph(rune, category))
            {
                // Chinese writes no spaces: each character's syllable is a word of its own ("bei-jing").
                Append(slug, word, ukrainian);
                word.Append(rune.ToString());
                Append(slug, word, ukrainian);
            }
            else if (IsWordPart(category))
            {
                word.Append(rune.ToString());
            }
            else
            {
                Append(slug, word, ukrainian);
            }
        }

        Append(slug, word, ukrainian);
        return Hyphens().Replace(slug.ToString(), "-").Trim('-');
    }

    /// <summary>
    /// The slug to derive for a title or name: <see cref="From"/> cut at a word boundary to
    /// <paramref name="maxLength"/>, then the first of it, <c>it-2</c>, <c>it-3</c>, … that is not taken; a text with
    /// nothing to read gives <c>noun-1</c>, <c>noun-2</c>, … <paramref name="takenAsync"/> answers the slugs taken that
    /// start with the prefix it is given. Never an error: the caller's unique index refuses a slug taken meanwhile, and
    /// the caller derives again.
    /// </summary>
    public static async Task<string> FreeAsync(
        string title, string noun, int maxLength, Func<string, Task<List<string>>> takenAsync, string? language = null)
    {
        var stem = From(title, language);
        var numbered = stem.Length == 0;
        stem = Cut(numbered ? noun : stem, maxLength);
        // Every candidate starts with the stem cut for the longest suffix: a shorter cut is a prefix of a longer one.
        var taken = (await takenAsync(Cut(stem, maxLength - MaxSuffix))).ToHashSet(StringComparer.Ordinal);
        if (!numbered && !taken.Contains(stem))
            return stem;
        for (var n = numbered ? 1 : 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = Cut(stem, maxLength - suffix.Length) + suffix;
            if (!taken.Contains(candidate))
                return candidate;
        }
    }

    private const int MaxSuffix = 8;

    public static bool IsValid(string slug) => Format().IsMatch(slug);

    /// <summary>
    /// The slug a request for <paramref name="slug"/> means: slugs are lowercase, so another case of one is the same
    /// slug (answered as a redirect to it). Only ASCII letters fold, as PostgreSQL's <c>lower(… COLLATE "C")</c> does.
    /// </summary>
    public static string Canonical(string slug)
    {
        if (!slug.Any(char.IsAsciiLetterUpper))
            return slug;
        return string.Create(slug.Length, slug, (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                chars[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + ('a' - 'A')) : source[i];
        });
    }

    /// <summary>
    /// The slug, cut at the last word boundary that fits in <paramref name="maxLength"/> (a single longer word is cut
    /// where it must).
    /// </summary>
    public static string Cut(string slug, int maxLength)
    {
        if (slug.Length <= maxLength)
            return slug;
        var boundary = slug.LastIndexOf('-', maxLength);
        return (boundary > 0 ? slug[..boundary] : slug[..maxLength]).TrimEnd('-');
    }

    /// <summary>Ends the word being read: its ASCII reading joins the slug, then a word break.</summary>
    private static void Append(StringBuilder slug, StringBuilder word, bool ukrainian)
    {
        if (word.Length > 0)
        {
            var text = word.ToString();
            if (ukrainian)
                text = UkrainianLatin(text);
            // Greek ου is one sound, u, which AnyAscii reads letter by letter as "oy" (Παπαδόπουλος, papadopoulos).
            text = GreekOu().Replace(text, "ou");
            foreach (var c in text.Transliterate())
            {
                if (char.IsAsciiLetterOrDigit(c))
                    slug.Append(char.ToLowerInvariant(c));
                // Marks that transliterations write inside a word (Arabic ʿayn as `, soft signs as ') join it.
                else if (c is not ('\'' or '`' or '"'))
                    slug.Append('-');
            }

            word.Clear();
        }

        slug.Append('-');
    }

    private static bool IsWordPart(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019' or '\u02BC' or '\u2018';

    private static bool IsIdeograph(Rune rune, UnicodeCategory category) =>
        category == UnicodeCategory.OtherLetter && rune.Value is
            (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x3FFFF);

    /// <summary>Letters only Ukrainian uses among common Cyrillic alphabets (і: also Belarusian, with ў).</summary>
    private static bool HasUkrainianLetters(string text) =>
        text.AsSpan().IndexOfAny("їєґЇЄҐ") >= 0
        || (text.AsSpan().IndexOfAny("іІ") >= 0 && text.AsSpan().IndexOfAny("ўЎ") < 0);

    /// <summary>
    /// Ukrainian in Latin letters by the national table (Cabinet of Ministers, 2010), which AnyAscii's generic Cyrillic
    /// reading does not follow: и is y, г is h, є ї й ю я are ye yi y yu ya at the start of a word, else ie i i iu ia.
    /// </summary>
    private static string UkrainianLatin(string word)
    {
        var latin = new StringBuilder(word.Length * 2);
        for (var i = 0; i < word.Length; i++)
        {
            var c = char.ToLowerInvariant(word[i]);
            var initial = i == 0;
            latin.Append(c switch
            {
                'а' => "a", 'б' => "b", 'в' => "v", 'д' => "d", 'е' => "e", 'ж' => "zh", 'з' => "z",
                'и' => "y", 'і' => "i", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n", 'о' => "o",
                'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f", 'х' => "kh",
                'ц' => "ts", 'ч' => "ch", 'ш' => "sh", 'щ' => "shch", 'ь' => "", 'ґ' => "g",
                // "зг" is zgh, so that it is not read as ж (zh).
                'г' => i > 0 && char.ToLowerInvariant(word[i - 1]) == 'з' ? "gh" : "h",
                'є' => initial ? "ye" : "ie",
                'ї' => initial ? "yi" : "i",
                'й' => initial ? "y" : "i",
                'ю' => initial ? "yu" : "iu",
                'я' => initial ? "ya" : "ia",
                _ => word[i].ToString(),
            });
        }

        return latin.ToString();
    }

    [GeneratedRegex("[οΟόΌ][υΥύΎ]")]
    private static partial Regex GreekOu();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Hyphens();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex Format();
}
