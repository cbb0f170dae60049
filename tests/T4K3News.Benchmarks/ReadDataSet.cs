using T4K3News.Content.Articles;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;

namespace T4K3News.Benchmarks;

/// <summary>
/// The benchmark's content, the same on every run (a seeded generator, fixed dates): 10,000 articles, every 20th a draft
/// and the rest published over 2024 and 2025, each with 6 takeaways, 4 quotes, 4 highlights, 3 of 50 tags and 3 related
/// articles (drafts among them, which readers must not see). Article n has the slug <c>story-n</c>, so the load tools
/// can pick one without a list. Every text draws from one small vocabulary, so any of its words is in nearly every
/// article; for search, each article also names 4 of 40 rarer topics (one in its title, one in its standfirst, two in
/// its body), so a query of two topics (<see cref="SearchQuery"/>) matches under 1 % of the articles.
/// </summary>
public sealed class ReadDataSet
{
    public const int ArticleCount = 10_000;
    public const int DraftEvery = 20;
    public const int PublishedCount = ArticleCount - ArticleCount / DraftEvery;
    public const string SlugPrefix = "story-";
    public const string TagSlug = "economy";

    /// <summary>The search page's query: two topics, both in about 80 articles.</summary>
    public const string SearchQuery = "glacier lighthouse";

    private static readonly string[] Topics =
    [
        "lighthouse", "glacier", "harbour", "vineyard", "monastery", "volcano", "orchard", "canal", "observatory", "bakery",
        "meadow", "lagoon", "quarry", "citadel", "ferry", "tramway", "aqueduct", "brewery", "marathon", "festival",
        "avalanche", "reef", "windmill", "cathedral", "bazaar", "tunnel", "satellite", "telescope", "orchestra", "museum",
        "stadium", "library", "theatre", "airport", "volunteer", "pipeline", "wildfire", "earthquake", "reservoir", "embassy",
    ];

    private static readonly DateTime FirstPublished = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan PublishingSpan = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) - FirstPublished;

    private static readonly string[] TagNames =
    [
        "Economy", "Politics", "Ukraine", "Climate", "Energy", "Health", "Technology", "Science", "Education", "Housing",
        "Transport", "Trade", "Markets", "Banking", "Labour", "Defence", "Diplomacy", "Elections", "Justice", "Migration",
        "Agriculture", "Water", "Cities", "Culture", "Sport", "Media", "Space", "Oceans", "Wildlife", "Tourism",
        "Aviation", "Railways", "Shipping", "Insurance", "Taxes", "Pensions", "Inflation", "Interest Rates", "Startups", "Artificial Intelligence",
        "Cybersecurity", "Privacy", "Religion", "Music", "Film", "Books", "Food", "Fashion", "Weather", "Obituaries",
    ];

    private static readonly string[] Vocabulary =
    [
        "the", "government", "said", "on", "Tuesday", "that", "its", "new", "plan", "would", "cut", "costs", "for", "households",
        "across", "region", "while", "critics", "warned", "about", "delays", "in", "parliament", "central", "bank", "held",
        "rates", "steady", "after", "months", "of", "rising", "prices", "and", "weak", "growth", "officials", "expect",
        "talks", "to", "resume", "next", "week", "as", "negotiators", "meet", "capital", "local", "leaders", "called",
        "measures", "a", "step", "forward", "but", "many", "residents", "remain", "sceptical", "budget", "includes",
        "funding", "schools", "hospitals", "roads", "opposition", "party", "demanded", "an", "inquiry", "into", "spending",
        "report", "published", "by", "independent", "researchers", "found", "emissions", "fell", "last", "year", "despite",
        "record", "demand", "electricity", "companies", "are", "investing", "wind", "solar", "storage", "projects", "coast",
        "minister", "announced", "reforms", "labour", "market", "unions", "welcomed", "proposal", "with", "caution",
        "exports", "recovered", "strongly", "third", "quarter", "according", "figures", "released", "statistics", "office",
        "court", "ruled", "against", "city", "council", "which", "plans", "appeal", "decision", "coming", "days",
        "scientists", "say", "findings", "could", "change", "how", "farmers", "manage", "soil", "water", "during", "droughts",
    ];

    private static readonly string[] Speakers =
    [
        "Anna Kovalenko", "Marek Nowak", "Sofia Lindqvist", "James Okafor", "Ines Moreau", "Tomas Berg", "Leila Haddad",
        "Kenji Watanabe", "Maria Rossi", "Daniel Schmidt", "Aisha Bello", "Pavel Dvorak",
    ];

    public required Publication Publication { get; init; }
    public required IReadOnlyList<Tag> Tags { get; init; }
    public required IReadOnlyList<Article> Articles { get; init; }

    public static string Slug(int number) => SlugPrefix + number;

    public static bool IsDraft(int number) => number % DraftEvery == 0;

    /// <summary>The number of the k-th published article (k from 0): the load tools pick k at random, uniformly.</summary>
    public static int PublishedNumber(int k) => k + k / (DraftEvery - 1) + 1;

    public static ReadDataSet Build()
    {
        var random = new Random(20261126);
        var publication = new Publication { Id = 1, Name = "T4K3.news" };
        var tags = TagNames.Select((name, i) => new Tag { Id = i + 1, Name = name, Slug = name.ToLowerInvariant().Replace(' ', '-') }).ToList();

        // A generator of its own, so that the topics leave every other text as it was before search existed.
        var topicRandom = new Random(10);
        var articles = new List<Article>(ArticleCount);
        for (var number = 1; number <= ArticleCount; number++)
        {
            // Published in number order over two years, with jitter so that id order and time order differ.
            var slot = FirstPublished + PublishingSpan * ((number - 0.5) / ArticleCount);
            var time = WholeSeconds(slot + TimeSpan.FromHours(random.NextDouble() * 12 - 6));
            var draft = IsDraft(number);
            var article = new Article
            {
                Id = number,
                PublicationId = publication.Id,
                Slug = Slug(number),
                Title = Capitalised(Words(random, 70)),
                Standfirst = Sentences(random, 200),
                HeroImageAltText = Capitalised(Words(random, 90)),
                HeroImageCaption = Sentences(random, 140),
                Body = string.Join("\n\n", Enumerable.Range(0, 4).Select(_ => Sentences(random, 374))),
                Analysis = Sentences(random, 600),
                Status = draft ? ArticleStatus.Draft : ArticleStatus.Published,
                PublishedAt = draft ? null : time,
                CreatedAt = time - TimeSpan.FromHours(2),
                UpdatedAt = time + TimeSpan.FromMinutes(random.Next(0, 3 * 24 * 60)),
                Version = 1,
            };
            for (var i = 0; i < 6; i++)
                article.Takeaways.Add(new Takeaway { Text = Sentences(random, 110) });
            for (var i = 0; i < 4; i++)
                article.Quotes.Add(new Quote
                {
                    Text = Sentences(random, 140),
                    Speaker = Speakers[random.Next(Speakers.Length)], Context = Sentences(random, 90),
                });
            for (var i = 0; i < 4; i++)
                article.Highlights.Add(new Highlight { Text = Sentences(random, 80) });
            foreach (var tag in Distinct(random, 3, tags.Count, except: -1))
                article.ArticleTags.Add(new ArticleTag { ArticleId = number, TagId = tag + 1 });
            var related = Distinct(random, 3, ArticleCount, except: number - 1);
            for (var i = 0; i < related.Count; i++)
                article.RelatedArticles.Add(new RelatedArticle { ArticleId = number, RelatedArticleId = related[i] + 1, Position = i });
            var topics = Distinct(topicRandom, 4, Topics.Length, except: -1).Select(i => Topics[i]).ToList();
            article.Title += " near the " + topics[0];
            article.Standfirst += " The " + topics[1] + " is part of the story.";
            article.Body = $"Reporters visited the {topics[2]} and the {topics[3]}. " + article.Body;
            articles.Add(article);
        }

        return new ReadDataSet { Publication = publication, Tags = tags, Articles = articles };
    }

    private static DateTime WholeSeconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static List<int> Distinct(Random random, int count, int range, int except)
    {
        var picked = new List<int>(count);
        while (picked.Count < count)
        {
            var candidate = random.Next(range);
            if (candidate != except && !picked.Contains(candidate))
                picked.Add(candidate);
        }

        return picked;
    }

    /// <summary>Words up to <paramref name="length"/> characters (at least length - 12).</summary>
    private static string Words(Random random, int length)
    {
        var text = new System.Text.StringBuilder(length);
        while (true)
        {
            var word = Vocabulary[random.Next(Vocabulary.Length)];
            if (text.Length + 1 + word.Length > length)
                return text.ToString();
            if (text.Length > 0)
                text.Append(' ');
            text.Append(word);
        }
    }

    /// <summary>Sentences of 6 to 16 words, up to <paramref name="length"/> characters in all.</summary>
    private static string Sentences(Random random, int length)
    {
        var text = new System.Text.StringBuilder(length);
        while (text.Length < length - 20)
        {
            var sentence = Capitalised(Words(random, Math.Min(random.Next(40, 110), length - text.Length - 2))) + ".";
            text.Append(text.Length > 0 ? " " : "").Append(sentence);
        }

        return text.ToString();
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
