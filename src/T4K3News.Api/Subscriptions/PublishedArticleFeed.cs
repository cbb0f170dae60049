using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Subscriptions;

/// <summary>
/// Articles as they become visible to readers, for the anonymous <c>articlePublished</c> subscription (a breaking-news
/// ticker). It follows the <see cref="ArticleChangeFeed"/>: a committed change that touches an article's visibility
/// (<see cref="VisibilityFields"/>: a new article, a publish, a scheduled article coming due) is looked up once per
/// instance with readers' visibility, and the article goes to every subscriber only if readers see it now. Drafts,
/// scheduled, archived and deleted articles never pass, nor an edit of an article readers already saw.
/// </summary>
public sealed class PublishedArticleFeed(ArticleChangeFeed changes, IDbContextFactory<ContentDbContext> databases, TimeProvider clock, ILogger<PublishedArticleFeed> log)
    : IObservable<Article>, IObserver<ArticleChange>
{
    /// <summary>The changed fields that can make an article visible; a due-time announcement names "due".</summary>
    public static readonly IReadOnlySet<string> VisibilityFields = new HashSet<string>(StringComparer.Ordinal) { "created", "status", "publishedAt", "due" };

    /// <summary>The publication time each article was last announced with, so a repeated announcement is not sent twice.</summary>
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<int, DateTime> announced = new();
    private readonly Lock gate = new();
    private IObserver<Article>[] observers = [];
    private IDisposable? following;

    public Task Listening => changes.Listening;

    public IDisposable Subscribe(IObserver<Article> observer)
    {
        lock (gate)
        {
            observers = [.. observers, observer];
            following ??= changes.Subscribe(this);
        }

        return new Unsubscriber(this, observer);
    }

    public void OnNext(ArticleChange change)
    {
        if (Volatile.Read(ref observers).Length == 0 || !change.ChangedFields.Any(VisibilityFields.Contains))
            return;
        if (change.Deleted)
        {
            announced.TryRemove(change.ArticleId, out _);
            return;
        }

        // Off the change feed's thread: the lookup must not hold up the other subscribers.
        _ = AnnounceAsync(change.ArticleId);
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private async Task AnnounceAsync(int articleId)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            var article = await db.Articles.VisibleToReaders(clock.GetUtcNow().UtcDateTime).AsNoTracking().SingleOrDefaultAsync(a => a.Id == articleId);
            if (article?.PublishedAt is not { } publishedAt)
            {
                announced.TryRemove(articleId, out _);
                return;
            }

            if (announced.TryGetValue(articleId, out var before) && before == publishedAt)
                return;
            if (announced.Count >= MaxRemembered)
                announced.Clear();
            announced[articleId] = publishedAt;

            foreach (var observer in Volatile.Read(ref observers))
                observer.OnNext(article);
        }
        catch (Exception e)
        {
            log.LogError(e, "Announcing the publication of article {ArticleId} failed", articleId);
        }
    }

    private sealed class Unsubscriber(PublishedArticleFeed feed, IObserver<Article> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (feed.gate)
                feed.observers = feed.observers.Where(o => !ReferenceEquals(o, observer)).ToArray();
        }
    }
}

public static class PublishedArticleSubscription
{
    private static readonly TimeSpan FeedStartTimeout = TimeSpan.FromSeconds(10);

    public static void Register(ObjectGraphType subscription) =>
        subscription.Field<NonNullGraphType<ArticleType>>("articlePublished")
            .Description("Each article as it becomes visible to readers: published now, or a scheduled one coming due (anyone, no token needed; over the WebSocket transport). Never drafts, scheduled or archived articles, nor edits of published ones.")
            .ResolveStreamAsync(async context =>
            {
                var feed = context.RequestServices!.GetRequiredService<PublishedArticleFeed>();
                if (await Task.WhenAny(feed.Listening, Task.Delay(FeedStartTimeout, context.CancellationToken)) != feed.Listening)
                    throw new ExecutionError("Live changes are unavailable right now; try again shortly.") { Code = ErrorCodes.SubscriptionsUnavailable };
                return feed;
            });
}
