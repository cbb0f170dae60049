using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.GraphQLServer;
using static T4K3News.Api.Caching.ContentResponseDependencies;

namespace T4K3News.Api.Caching;

/// <summary>
/// Keeps this instance's response cache true to the database (see <see cref="ContentResponseDependencies"/> for the keys):
/// <list type="bullet">
/// <item>The change feed hands it every committed article and tag change, from any instance: the answers showing that
/// article or tag, and every list, go at once, before subscribers hear of the change.</item>
/// <item>Then, in the background, the answers showing an article whose related articles include the changed one: an
/// article that becomes visible was in no answer that left it out, so its links are looked up.</item>
/// <item>A scheduled article comes due with no event. The earliest future publication time is looked up after every
/// change and at each due time, and the cache invalidates the lists (and the related lists of what comes due) at that
/// moment itself (<see cref="ResponseCache.InvalidateAt"/>), whichever clock the host runs on.</item>
/// </list>
/// The cache serves only while the feed listens and the schedule is known; it pauses while either is not the case.
/// A mutation on this instance answers only once all that is done for what it wrote (<see cref="CaughtUpAsync"/>).
/// </summary>
public sealed class ResponseCacheInvalidation(ResponseCache cache, ContentDatabase database, TimeProvider clock, ILogger<ResponseCacheInvalidation> log)
    : BackgroundService, IResponseCacheInvalidation
{
    /// <summary>Carries markers this instance sends itself: heard after every change committed before, in commit order.</summary>
    public const string CaughtUpChannel = "t4k3news_response_cache_caught_up";

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(30);
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock gate = new();
    private readonly HashSet<int> changed = [];
    private readonly Dictionary<string, TaskCompletionSource> markersSent = [];
    private readonly List<TaskCompletionSource> markersHeard = [];
    private bool listening;
    private long listeningSince;
    private long resumedFor = -1;
    private DateTime horizon;
    private DateTime scheduledRanAt = DateTime.MinValue;
    private DbContextOptions<ContentDbContext>? options;

    /// <summary>
    /// Sends a marker through the database and waits until the feed hears it and the follow-up of every change heard
    /// before it is done: NOTIFYs arrive in commit order, so everything committed before the call is then invalidated.
    /// </summary>
    public async Task CaughtUpAsync(CancellationToken cancellationToken)
    {
        if (!cache.IsActive)
            return;
        var marker = Guid.NewGuid().ToString("N");
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
            markersSent[marker] = caughtUp;
        try
        {
            await using (var db = new ContentDbContext(Options()))
                await db.Database.ExecuteSqlAsync($"SELECT pg_notify({CaughtUpChannel}, {marker})", cancellationToken);
            await caughtUp.Task.WaitAsync(CatchUpTimeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody waits for the answer any more.
        }
        catch (Exception e) when (e is TimeoutException or DbException)
        {
            log.LogWarning(e, "The response cache could not catch up with this instance's writes; it forgets everything instead");
            cache.InvalidateAll();
        }
        finally
        {
            lock (gate)
                markersSent.Remove(marker);
        }
    }

    /// <summary>The feed heard a marker (this instance's, or another's, which waits for nobody here).</summary>
    public void MarkerHeard(string marker)
    {
        lock (gate)
        {
            if (!markersSent.Remove(marker, out var caughtUp))
                return;
            markersHeard.Add(caughtUp);
        }

        Wake();
    }

    public void ArticleChanged(ArticleChange change)
    {
        if (!cache.IsEnabled)
            return;
        cache.Invalidate([OfArticle(change.ArticleId), Lists]);
        lock (gate)
            changed.Add(change.ArticleId);
        Wake();
    }

    /// <summary>A change whose announcement could not be read: what it changed is unknown.</summary>
    public void UnreadableChange()
    {
        if (cache.IsEnabled)
            cache.InvalidateAll();
    }

    /// <summary>An author shows in bylines, author lookups and lists, and filters article lists: rare enough to drop them all.</summary>
    public void AuthorChanged()
    {
        if (cache.IsEnabled)
            cache.Invalidate([AuthorsShown, Lists]);
    }

    /// <summary>A tag's name and slug show in articles' tag lists, its slug filters article lists and finds it by lookup.</summary>
    public void TagChanged(string payload)
    {
        if (!cache.IsEnabled)
            return;
        if (int.TryParse(payload, System.Globalization.CultureInfo.InvariantCulture, out var tagId))
            cache.Invalidate([OfTag(tagId), TagLookups, Lists]);
        else
            UnreadableChange();
    }

    /// <summary>The feed listens (again): what changed meanwhile went unheard, so the cache resumes from nothing once the schedule is known.</summary>
    public void Listening()
    {
        lock (gate)
        {
            listening = true;
            listeningSince++;
        }

        Wake();
    }

    /// <summary>The feed lost its connection: changes may go unheard.</summary>
    public void NotListening()
    {
        lock (gate)
        {
            listening = false;
            resumedFor = -1;
            cache.Pause();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cache.IsEnabled)
            return;
        var delay = FirstRetryDelay;
        while (await wake.Reader.WaitToReadAsync(stoppingToken))
        {
            wake.Reader.TryRead(out _);
            int[] ids;
            TaskCompletionSource[] markers;
            long epoch;
            bool resume;
            lock (gate)
            {
                ids = [.. changed];
                changed.Clear();
                markers = [.. markersHeard];
                markersHeard.Clear();
                epoch = listeningSince;
                resume = listening && resumedFor != epoch;
            }

            try
            {
                await FollowUpAsync(ids, restart: resume, stoppingToken);
                if (resume)
                {
                    lock (gate)
                    {
                        // Not if the feed lost its connection meanwhile, or found it again (then this runs once more).
                        if (listening && listeningSince == epoch)
                        {
                            cache.Resume();
                            resumedFor = epoch;
                        }
                    }
                }

                delay = FirstRetryDelay;
                foreach (var marker in markers)
                    marker.TrySetResult();
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
            {
                log.LogWarning(e, "Following up article changes for the response cache failed; it pauses, trying again in {Delay}", delay);
                lock (gate)
                {
                    changed.UnionWith(ids);
                    resumedFor = -1;
                    cache.Pause();
                }

                // Paused, the cache serves nothing stale: whoever waits for these may go on.
                foreach (var marker in markers)
                    marker.TrySetResult();
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
                Wake();
            }
        }
    }

    /// <summary>
    /// Invalidates what links to the changed articles and to those that came due since the last look, and schedules the
    /// invalidation for the next articles to come due.
    /// </summary>
    private async Task FollowUpAsync(int[] changedIds, bool restart, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime since;
        lock (gate)
        {
            if (restart || now < horizon)
                (horizon, scheduledRanAt) = (now, DateTime.MinValue);
            // What came due at a scheduled time that the cache has invalidated already needs no second invalidation.
            since = scheduledRanAt > horizon && scheduledRanAt <= now ? scheduledRanAt : horizon;
        }

        await using var db = new ContentDbContext(Options());
        var published = db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published);
        var due = since < now ? await published.Where(a => a.PublishedAt > since && a.PublishedAt <= now).Select(a => a.Id).ToListAsync(cancellationToken) : [];
        var next = await published
            .Where(a => a.PublishedAt > now && a.PublishedAt == published.Where(b => b.PublishedAt > now).Min(b => b.PublishedAt))
            .Select(a => new { a.Id, PublishedAt = a.PublishedAt!.Value })
            .ToListAsync(cancellationToken);
        var linkedTo = changedIds.Concat(due).Concat(next.Select(n => n.Id)).Distinct().ToList();
        var links = linkedTo.Count == 0
            ? []
            : await db.RelatedArticles.Where(r => linkedTo.Contains(r.RelatedArticleId)).Select(r => new { r.RelatedArticleId, r.ArticleId }).ToListAsync(cancellationToken);

        var affected = changedIds.Concat(due).ToHashSet();
        var keys = links.Where(l => affected.Contains(l.RelatedArticleId)).Select(l => OfArticle(l.ArticleId)).Concat(due.Select(OfArticle)).ToList();
        if (due.Count > 0)
            keys.Add(Lists);
        if (keys.Count > 0)
            cache.Invalidate(keys);

        if (next.Count == 0)
        {
            cache.InvalidateAt(null, []);
        }
        else
        {
            var coming = next.Select(n => n.Id).ToHashSet();
            string[] atThatTime = [Lists, .. coming.Select(OfArticle), .. links.Where(l => coming.Contains(l.RelatedArticleId)).Select(l => OfArticle(l.ArticleId))];
            var at = DateTime.SpecifyKind(next[0].PublishedAt, DateTimeKind.Utc);
            cache.InvalidateAt(new DateTimeOffset(at), atThatTime, ran => ScheduledRan(at, ran));
        }

        horizon = now;
    }

    /// <summary>
    /// Its own context options, without the host's interceptors: these look-ups are housekeeping after a change, not
    /// part of any request (the tests count a request's statements through an interceptor).
    /// </summary>
    private DbContextOptions<ContentDbContext> Options()
    {
        if (Volatile.Read(ref options) is { } built)
            return built;
        var builder = new DbContextOptionsBuilder<ContentDbContext>();
        ContentDatabase.Configure(builder, database.ConnectionString);
        return Volatile.Read(ref options) ?? (options = builder.Options);
    }

    /// <summary>The cache ran the invalidation scheduled for <paramref name="at"/> (or dropped it, as the clock went back): schedule the next.</summary>
    private void ScheduledRan(DateTime at, bool ran)
    {
        if (ran)
        {
            lock (gate)
                scheduledRanAt = at > scheduledRanAt ? at : scheduledRanAt;
        }

        Wake();
    }

    private void Wake() => wake.Writer.TryWrite(true);
}
