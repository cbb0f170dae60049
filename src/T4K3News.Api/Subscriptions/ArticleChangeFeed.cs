using Npgsql;
using T4K3News.Api.Caching;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Auth;
using T4K3News.Content.Tags;
using T4K3News.Content.Webhooks;

namespace T4K3News.Api.Subscriptions;

/// <summary>
/// Listens on PostgreSQL for committed article changes (from this server instance or any other) and hands each to the
/// current subscribers. One connection per instance, re-established after a failure; subscribers never block it. The
/// same connection hears token revocations for the <see cref="ApiTokenCache"/>, and article and tag changes for the
/// response cache and the feeds and sitemaps (before any subscriber), all of which it tells whether it listens.
/// </summary>
public sealed class ArticleChangeFeed(ContentDatabase database, ApiTokenCache tokens, ResponseCacheInvalidation responseCache,
    Syndication.SyndicationCache syndication, Webhooks.WebhookSignals webhooks, ILogger<ArticleChangeFeed> log)
    : BackgroundService, IObservable<ArticleChange>
{
    /// <summary>How the feed's connection shows in pg_stat_activity.</summary>
    public const string ApplicationName = "t4k3news-change-feed";
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(30);
    private readonly Lock gate = new();
    private IObserver<ArticleChange>[] observers = [];
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan delay = FirstRetryDelay;

    /// <summary>Completes once the feed listens, so that a subscriber cannot miss a change committed after it subscribed.</summary>
    public Task Listening => listening.Task;

    /// <summary>The changes to one article only, or all of them.</summary>
    public IObservable<ArticleChange> Of(int? articleId) => articleId is { } id ? new OneArticle(this, id) : this;

    public IDisposable Subscribe(IObserver<ArticleChange> observer)
    {
        lock (gate)
            observers = [.. observers, observer];
        return new Unsubscriber(this, observer);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                log.LogWarning(e, "Listening for article changes failed; trying again in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            KeepAlive = 30,
            Pooling = false,
            ApplicationName = ApplicationName,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, notification) =>
        {
            if (notification.Channel is TagChange.Channel or ArticleChange.Channel
                or Content.Authors.AuthorChange.Channel)
                syndication.Changed();
            if (notification.Channel == ApiTokenCache.RevocationChannel)
                tokens.Forget(notification.Payload);
            else if (notification.Channel == TagChange.Channel)
                responseCache.TagChanged(notification.Payload);
            else if (notification.Channel == Content.Authors.AuthorChange.Channel)
                responseCache.AuthorChanged();
            else if (notification.Channel == ResponseCacheInvalidation.CaughtUpChannel)
                responseCache.MarkerHeard(notification.Payload);
            else if (notification.Channel == WebhookOutbox.Channel)
                webhooks.Deliveries.Set();
            else
            {
                webhooks.Schedule.Set();
                Publish(notification.Payload);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ArticleChange.Channel}; LISTEN {ApiTokenCache.RevocationChannel}; LISTEN {TagChange.Channel}; LISTEN {Content.Authors.AuthorChange.Channel}; LISTEN {ResponseCacheInvalidation.CaughtUpChannel}; LISTEN {WebhookOutbox.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        try
        {
            tokens.Listening();
            responseCache.Listening();
            syndication.Listening();
            listening.TrySetResult();
            if (delay != FirstRetryDelay)
                log.LogInformation("Listening for article changes again");
            delay = FirstRetryDelay;

            while (true)
                await connection.WaitAsync(stoppingToken);
        }
        finally
        {
            tokens.NotListening();
            responseCache.NotListening();
            syndication.NotListening();
        }
    }

    private void Publish(string payload)
    {
        if (ArticleChange.FromJson(payload) is not { } change)
        {
            log.LogWarning("Ignored a notification that is not an article change: {Payload}", payload);
            responseCache.UnreadableChange();
            return;
        }

        responseCache.ArticleChanged(change);

        foreach (var observer in Volatile.Read(ref observers))
        {
            try
            {
                observer.OnNext(change);
            }
            catch (Exception e)
            {
                log.LogError(e, "A subscriber failed on the change to article {ArticleId}", change.ArticleId);
            }
        }
    }

    private sealed class OneArticle(ArticleChangeFeed feed, int articleId) : IObservable<ArticleChange>
    {
        public IDisposable Subscribe(IObserver<ArticleChange> observer) => feed.Subscribe(new Filter(observer, articleId));

        private sealed class Filter(IObserver<ArticleChange> inner, int articleId) : IObserver<ArticleChange>
        {
            public void OnNext(ArticleChange change)
            {
                if (change.ArticleId == articleId)
                    inner.OnNext(change);
            }

            public void OnError(Exception error) => inner.OnError(error);

            public void OnCompleted() => inner.OnCompleted();
        }
    }

    private sealed class Unsubscriber(ArticleChangeFeed feed, IObserver<ArticleChange> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (feed.gate)
                feed.observers = feed.observers.Where(o => !ReferenceEquals(o, observer)).ToArray();
        }
    }
}
