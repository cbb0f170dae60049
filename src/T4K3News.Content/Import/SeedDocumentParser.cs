using System.Globalization;
using System.Text.RegularExpressions;
using T4K3News.Content.Articles;

namespace T4K3News.Content.Import;

/// <summary>A saved news page, read. The publication time is as the page wrote it; the importer knows its time zone.</summary>
public sealed record SeedDocument(string PublicationName, DateTime PublishedAtLocal, Article Content, IReadOnlyList<string> RelatedTitles);

/// <summary>Why a page could not be read, at which line (1-based) of the file.</summary>
public sealed record SeedDocumentError(int Line, string Message);

public sealed record SeedParseResult(SeedDocument? Document, SeedDocumentError? Error);

/// <summary>
/// Reads the page format of the sites we import from: site name, title, standfirst, time, hero image ("blur" placeholder
/// line, then caption), body heading and paragraphs, Key Takeaways (✔️ items), quotes each followed by its context line,
/// analysis, Highlights (• items), titled callouts, the closing line, then page chrome and Related News.
/// Blank lines only separate; every non-blank line is one paragraph.
/// </summary>
public static partial class SeedDocumentParser
{
    private const string PageChromeIcon = "favicon";
    private const string PageChromeShare = "Enjoyed this? Let your friends know!";
    private const string KeyTakeaways = "Key Takeaways";
    private const string HighlightsHeading = "Highlights";
    private const string RelatedNews = "Related News";
    private const string HeroImagePlaceholder = "blur ";
    private static readonly string[] TimeFormats = ["MMMM d, yyyy 'at' h:mm tt", "MMMM d, yyyy 'at' hh:mm tt", "MMM d, yyyy 'at' h:mm tt"];

    public static SeedParseResult Parse(string text)
    {
        try
        {
            return new SeedParseResult(new Reader(text).Read(), null);
        }
        catch (MalformedDocument e)
        {
            return new SeedParseResult(null, new SeedDocumentError(e.Line, e.Message));
        }
    }

    private sealed record Line(int Number, string Text);

    private sealed class MalformedDocument(int line, string message) : Exception(message)
    {
        public int Line { get; } = line;
    }

    private sealed class Reader(string text)
    {
        private readonly List<Line> lines = text.ReplaceLineEndings("\n").Split('\n')
            .Select((line, index) => new Line(index + 1, line.Trim()))
            .Where(line => line.Text.Length > 0)
            .ToList();

        private int next;

        public SeedDocument Read()
        {
            if (lines.Count == 0)
                throw new MalformedDocument(1, "The document is empty.");

            if (Peek()?.Text == PageChromeIcon)
                next++;
            var publication = Take("the site name");
            var title = Take("the title");
            var standfirst = Take("the standfirst");
            var publishedAt = ReadPublicationTime(Take("the publication time"));

            string? altText = null, caption = null;
            if (Peek() is { } hero && hero.Text.StartsWith(HeroImagePlaceholder, StringComparison.Ordinal))
            {
                next++;
                altText = hero.Text[HeroImagePlaceholder.Length..].Trim();
                caption = Take("the hero image caption");
            }

            string? bodyHeading = null;
            if (Peek() is { } heading && !EndsLikeASentence(heading.Text) && !IsSectionStart(heading.Text))
            {
                next++;
                bodyHeading = heading.Text;
            }

            var body = TakeWhile(line => !IsSectionStart(line.Text));
            if (body.Count == 0)
                throw new MalformedDocument(Peek()?.Number ?? lines[^1].Number, "Expected the body's paragraphs after the heading.");

            var takeaways = ReadTakeaways();
            var quotes = ReadQuotes(body.Select(b => b.Text).Prepend(standfirst).ToList());
            var tail = TakeWhile(line => line.Text != PageChromeShare && line.Text != RelatedNews);
            var (analysis, highlights, callouts, closingLine) = ReadTail(tail);

            if (Peek()?.Text == PageChromeShare)
                next++;
            var related = new List<string>();
            if (Peek()?.Text == RelatedNews)
            {
                next++;
                related.AddRange(TakeWhile(_ => true).Select(line => line.Text.TrimStart('•', '-', '*', ' ')));
            }

            if (Peek() is { } unexpected)
                throw new MalformedDocument(unexpected.Number, $"Did not expect '{Shorten(unexpected.Text)}' here.");

            var content = new Article
            {
                Title = title,
                Standfirst = standfirst,
                HeroImageAltText = altText,
                HeroImageCaption = caption,
                BodyHeading = bodyHeading,
                Body = Paragraphs(body),
                Analysis = analysis.Count == 0 ? null : Paragraphs(analysis),
                ClosingLine = closingLine,
                Takeaways = takeaways.Select(text => new Takeaway { Text = text }).ToList(),
                Quotes = quotes,
                Highlights = highlights.Select(text => new Highlight { Text = text }).ToList(),
                Callouts = callouts,
            };
            return new SeedDocument(publication, publishedAt, content, related);
        }

        private DateTime ReadPublicationTime(string value)
        {
            if (DateTime.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time))
                return DateTime.SpecifyKind(time, DateTimeKind.Unspecified);
            throw new MalformedDocument(lines[next - 1].Number,
                $"Expected a publication time such as 'July 20, 2025 at 11:06 AM' but found '{Shorten(value)}'.");
        }

        private List<string> ReadTakeaways()
        {
            var takeaways = new List<string>();
            if (Peek()?.Text == KeyTakeaways)
                next++;
            while (Peek() is { } mark && mark.Text.StartsWith('✔'))
            {
                next++;
                var sameLine = mark.Text.TrimStart('✔', '\uFE0F', ' ');
                if (sameLine.Length > 0)
                {
                    takeaways.Add(sameLine);
                    continue;
                }

                if (Peek() is not { } item || IsSectionStart(item.Text))
                    throw new MalformedDocument(mark.Number, "A ✔️ must be followed by its takeaway on the next line.");
                next++;
                takeaways.Add(item.Text);
            }

            return takeaways;
        }

        private List<Quote> ReadQuotes(IReadOnlyList<string> storyText)
        {
            var quotes = new List<Quote>();
            while (Peek() is { } quote && IsQuote(quote.Text))
            {
                next++;
                string? context = null;
                if (Peek() is { } line && !IsQuote(line.Text) && !IsSectionStart(line.Text) && line.Text != PageChromeShare)
                {
                    next++;
                    context = line.Text;
                }

                quotes.Add(new Quote { Text = Unquote(quote.Text), Speaker = SpeakerNamedIn(context, storyText), Context = context });
            }

            return quotes;
        }

        /// <summary>
        /// After the quotes: analysis paragraphs, then Highlights and callouts in either order, then the closing line.
        /// A callout is a title (no closing punctuation) with the paragraph under it; the last paragraph is the closing line.
        /// </summary>
        private static (List<Line> Analysis, List<string> Highlights, List<Callout> Callouts, string? ClosingLine) ReadTail(List<Line> tail)
        {
            var analysis = new List<Line>();
            var highlights = new List<string>();
            var callouts = new List<Callout>();
            string? closingLine = null;

            for (var i = 0; i < tail.Count; i++)
            {
                var line = tail[i];
                var isLast = i == tail.Count - 1;
                if (line.Text == HighlightsHeading)
                {
                    while (i + 1 < tail.Count && tail[i + 1].Text.StartsWith('•'))
                        highlights.Add(tail[++i].Text.TrimStart('•', ' ', '\t'));
                    if (highlights.Count == 0)
                        throw new MalformedDocument(line.Number, "'Highlights' must be followed by • items.");
                }
                else if (line.Text.StartsWith('•'))
                {
                    throw new MalformedDocument(line.Number, "A • item must stand under 'Highlights'.");
                }
                else if (!EndsLikeASentence(line.Text) && i + 1 < tail.Count && EndsLikeASentence(tail[i + 1].Text))
                {
                    callouts.Add(new Callout { Title = line.Text, Body = tail[++i].Text });
                }
                else if (isLast && (analysis.Count > 0 || highlights.Count > 0 || callouts.Count > 0))
                {
                    closingLine = line.Text;
                }
                else if (highlights.Count == 0 && callouts.Count == 0)
                {
                    analysis.Add(line);
                }
                else
                {
                    throw new MalformedDocument(line.Number, $"Expected a callout title, 'Highlights' or the closing line, but found '{Shorten(line.Text)}'.");
                }
            }

            return (analysis, highlights, callouts, closingLine);
        }

        private Line? Peek() => next < lines.Count ? lines[next] : null;

        private string Take(string what)
        {
            if (Peek() is not { } line)
                throw new MalformedDocument(lines[^1].Number, $"The document ends before {what}.");
            next++;
            return line.Text;
        }

        private List<Line> TakeWhile(Func<Line, bool> predicate)
        {
            var taken = new List<Line>();
            while (Peek() is { } line && predicate(line))
            {
                taken.Add(line);
                next++;
            }

            return taken;
        }
    }

    /// <summary>
    /// The speaker only when the context line opens with a person's name (after at most three words such as "Grid operator";
    /// titles such as "Mayor" dropped) and a verb of saying; the name is then given in its fullest form in the story ("Zelenskyy emphasizes" with "Volodymyr Zelenskyy"
    /// in the body). "The President is taking steps" names nobody.
    /// </summary>
    private static string? SpeakerNamedIn(string? context, IReadOnlyList<string> storyText)
    {
        if (context is null || Attribution().Match(context) is not { Success: true } match)
            return null;
        var name = string.Join(' ', match.Groups["name"].Value.Split(' ').SkipWhile(NotNames.Contains));
        var startsTheLine = match.Groups["descriptor"].Length == 0;
        if (name.Length == 0 || (!startsTheLine && !name.Contains(' ')))
            return null;

        foreach (var paragraph in storyText)
        {
            foreach (Match fuller in FullName(name).Matches(paragraph))
            {
                var firstName = fuller.Groups["first"].Value;
                if (!NotNames.Contains(firstName) && !firstName.EndsWith("ian", StringComparison.Ordinal))
                    return $"{firstName} {name}";
            }
        }

        return name;
    }

    private static readonly HashSet<string> NotNames =
    [
        "The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Their", "Its", "Our", "President", "Minister", "Prime",
        "Chancellor", "Secretary", "General", "Mr", "Mrs", "Ms", "Dr", "King", "Queen", "Senator", "Governor", "Mayor", "Premier",
    ];

    private static Regex FullName(string name) => new($@"(?<first>\p{{Lu}}[\p{{L}}'’-]+)\s+{Regex.Escape(name)}\b");

    [GeneratedRegex(@"^(?<descriptor>(?:[\p{L}-]+\s+){0,3}?)(?<name>\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+){0,2})\s+(?:emphasi[sz]es|says|said|expresses|expressed|criticizes|criticises|criticized|states|stated|adds|added|notes|noted|warns|warned|argues|argued|insists|insisted|explains|explained|stresses|stressed|tells|told|claims|claimed|declares|declared|announces|announced|admits|admitted|believes|calls|urges|urged)\b")]
    private static partial Regex Attribution();

    private static bool IsQuote(string line) => line[0] is '"' or '“' or '„' or '«';

    private static string Unquote(string line) => line.Trim().TrimStart('"', '“', '„', '«').TrimEnd('"', '”', '“', '»').Trim();

    private static bool IsSectionStart(string line) =>
        line == KeyTakeaways || line.StartsWith('✔') || IsQuote(line) || line == HighlightsHeading || line == PageChromeShare || line == RelatedNews;

    private static bool EndsLikeASentence(string line) => line[^1] is '.' or '!' or '?' or '"' or '”' or '\'' or '’' or ':' or '…' or ')';

    private static string Paragraphs(IEnumerable<Line> lines) => string.Join("\n\n", lines.Select(l => l.Text));

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
