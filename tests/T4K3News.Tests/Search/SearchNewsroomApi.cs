using T4K3News.Content.Articles;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Search;

/// <summary>
/// A small coast desk for search: "lighthouse" in a title, a standfirst, a takeaway, a body, a quote, an article whose
/// body holds markup and an ampersand; plus a draft and a scheduled article that mention it too, and articles that
/// share tags without sharing words. Readers never see two more, whose publication times lie in the past: an archived
/// one (zeppelin) and one unpublished back to draft (narwhal); their words are in no other article.
/// </summary>
public sealed class SearchNewsroomApi : ContentApi
{
    public static readonly DateTime Day = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    protected override string? SeedsFolder => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = CreateDbContext();
        var publication = new Publication { Name = "T4K3.news" };
        var coast = new Tag { Slug = "coast", Name = "Coast" };
        var travel = new Tag { Slug = "travel", Name = "Travel" };
        var economy = new Tag { Slug = "economy", Name = "Economy" };
        var food = new Tag { Slug = "food", Name = "Food" };
        db.AddRange(coast, travel, economy, food);

        Article Add(string title, int day, Tag[] tags, ArticleStatus status = ArticleStatus.Published, string? standfirst = null,
            string? body = null, string[]? takeaways = null, Quote[]? quotes = null, DateTime? publishedAt = null)
        {
            var article = new Article
            {
                Publication = publication,
                Slug = Slug.From(title),
                Title = title,
                Standfirst = standfirst ?? $"News from the desk on day {day}.",
                Body = body ?? "Nothing else happened.",
                Takeaways = (takeaways ?? []).Select(t => new Takeaway { Text = t }).ToList(),
                Quotes = (quotes ?? []).ToList(),
                Status = status,
                PublishedAt = status == ArticleStatus.Draft ? publishedAt : publishedAt ?? Day.AddDays(day),
                CreatedAt = Day,
                UpdatedAt = Day,
                Version = 1,
                ArticleTags = tags.Select(t => new ArticleTag { Tag = t }).ToList(),
            };
            db.Articles.Add(article);
            return article;
        }

        var keepers = Add("Lighthouse keepers return to the northern coast", 0, [coast, travel], body: "Three families move back to the cape.");
        Add("Ferry timetable changes for the summer", 4, [travel], body: "The old lighthouse stays dark while the ferries sail at night.");
        var harbour = Add("Harbour budget approved", 1, [coast, economy], standfirst: "Money for the lighthouse repairs is in the budget.");
        Add("Sailors remember the storm", 2, [coast], quotes: [new Quote { Text = "We saw the lighthouse and knew we were home.", Speaker = "A sailor" }]);
        Add("Seaside snacks", 3, [food], body: "Stalls sell <script>alert(\"x\")</script> & fish and chips by the lighthouse.");
        Add("Island council meets", 5, [economy], takeaways: ["The lighthouse gets a new lamp."]);
        Add("Coast guard drill off the cape", -20, [coast, travel]);
        Add("Lighthouse draft with secret plans", 6, [coast], status: ArticleStatus.Draft);
        Add("Lighthouse of the next century", 7, [coast], publishedAt: new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Add("Market prices fall", 8, [economy, food], body: "Bread and fish are cheaper this week.");
        Add("Zeppelin verdict", 10, [], status: ArticleStatus.Archived, publishedAt: Day.AddDays(10));
        Add("Narwhal memo", 11, [], status: ArticleStatus.Draft, publishedAt: Day.AddDays(11));
        Add("Long read at quay", 12, [], body: string.Concat(Enumerable.Repeat("Waves break slowly on stones. ", 160)) + "At last a zygomorph waits.");
        Add("It's five o'clock at C:\\Docs\\Tide & https://example.com/a?b=1&c=2 'quoted'", 9, []);
        await db.SaveChangesAsync();

        keepers.RelatedArticles = [new RelatedArticle { RelatedArticleId = harbour.Id, Position = 0 }];
        await db.SaveChangesAsync();
    }
}
