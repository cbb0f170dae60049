using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Content.Webhooks;

namespace T4K3News.Api.Webhooks;

/// <summary>
/// Announces scheduled articles when their time comes (<see cref="DuePublications"/>): looks every
/// <see cref="WebhookOptions.DueCheckInterval"/>, sooner when the next publication is nearer, and again whenever the
/// change feed hears an article change (which may have scheduled one). The schedule lives in the database, so any
/// instance may announce, each publication once, and one that came due while every instance was down is announced
/// at the next start.
/// </summary>
public sealed class DueEventScheduler(HousekeepingDatabase databases, TimeProvider clock, IOptions<WebhookOptions> options, WebhookSignals signals, ILogger<DueEventScheduler> log)
    : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var db = databases.Open())
                {
                    while (await DuePublications.AnnounceAsync(db, clock.GetUtcNow().UtcDateTime, Batch, stoppingToken) == Batch)
                    {
                    }
                }

                await signals.Schedule.WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
                delay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Never the host's end: the schedule waits in the database.
                log.LogWarning(e, "Announcing due publications failed; trying again in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        await using var db = databases.Open();
        var next = await db.ScheduledPublications.MinAsync(s => (DateTime?)s.DueAt, cancellationToken);
        var interval = options.Value.DueCheckInterval;
        var now = clock.GetUtcNow().UtcDateTime;
        return next is { } at && at - now < interval ? at - now : interval;
    }
}
