using T4K3News.Content.Articles;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;

namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// A newsroom with 60 published articles (one per day from 2025-01-01 at 09:00 UTC, "Story 01" to "Story 60", each with
/// 2 takeaways, 1 quote, 1 highlight, 1 callout and a related link to the story before it), tagged "even" or "odd"
/// by number and all "world"; plus one draft and one article scheduled for 2100, which readers never see. With
/// <see cref="HiddenPastArticles"/>, two more readers never see although their publication time has passed: one archived
/// and one unpublished (back to draft), both "even" and "world" and related from "Story 60".
/// </summary>
public class NewsroomApi : ContentApi
{
    public const int PublishedCount = 60;
    public static readonly DateTime FirstDay = new(2025, 1, 1, 9, 0, 0, DateTimeKind.Utc);

    protected override string? SeedsFolder => null;

    /// <summary>Whether the newsroom also has the archived and the unpublished article published in the past.</summary>
    protected virtual bool HiddenPastArticles => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = CreateDbContext();
        var publication = new Publication { Name = "T4K3.news" };
        var even = new Tag { Slug = "even", Name = "Even" };
        var odd = new Tag { Slug = "odd", Name = "Odd" };
        var world = new Tag { Slug = "world", Name = "World" };
        db.AddRange(even, odd, world);

        Article? previous = null;
        for (var number = 1; number <= PublishedCount; number++)
        {
            var article = NewArticle(publication, $"Story {number:00}", ArticleStatus.Published, FirstDay.AddDays(number - 1));
            article.Takeaways = [new Takeaway { Text = $"First takeaway of {number}" }, new Takeaway { Text = $"Second takeaway of {number}" }];
            article.Quotes = [new Quote { Text = $"Quote {number}", Speaker = "A. Speaker", Context = $"Context {number}" }];
            article.Highlights = [new Highlight { Text = $"Highlight {number}" }];
            article.Callouts = [new Callout { Title = $"Callout {number}", Body = $"Callout body {number}" }];
            article.ArticleTags = [new ArticleTag { Tag = number % 2 == 0 ? even : odd }, new ArticleTag { Tag = world }];
            if (previous is not null)
                article.RelatedArticles = [new RelatedArticle { Related = previous, Position = 0 }];
            db.Articles.Add(article);
            previous = article;
        }

        var draft = NewArticle(publication, "Unfinished draft", ArticleStatus.Draft, null);
        draft.ArticleTags = [new ArticleTag { Tag = world }];
        var scheduled = NewArticle(publication, "Scheduled for the next century", ArticleStatus.Published, new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        scheduled.ArticleTags = [new ArticleTag { Tag = world }];
        previous!.RelatedArticles.Add(new RelatedArticle { Related = draft, Position = 1 });
        db.Articles.AddRange(draft, scheduled);
        if (HiddenPastArticles)
        {
            // Their times lie among the published stories', so only their status hides them.
            var archived = NewArticle(publication, "Archived in February", ArticleStatus.Archived, FirstDay.AddDays(40).AddHours(1));
            var unpublished = NewArticle(publication, "Unpublished in February", ArticleStatus.Draft, FirstDay.AddDays(45).AddHours(1));
            foreach (var hidden in new[] { archived, unpublished })
            {
                hidden.ArticleTags = [new ArticleTag { Tag = even }, new ArticleTag { Tag = world }];
                previous.RelatedArticles.Add(new RelatedArticle { Related = hidden, Position = previous.RelatedArticles.Count });
            }

            db.Articles.AddRange(archived, unpublished);
        }

        await db.SaveChangesAsync();
    }

    private static Article NewArticle(Publication publication, string title, ArticleStatus status, DateTime? publishedAt) => new()
    {
        Publication = publication,
        Slug = Slug.From(title),
        Title = title,
        Standfirst = $"Standfirst of {title}",
        Body = $"Body of {title}",
        Status = status,
        PublishedAt = publishedAt,
        CreatedAt = FirstDay,
        UpdatedAt = FirstDay,
        Version = 1,
    };
}
