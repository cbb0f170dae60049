using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using T4K3News.Content;
using T4K3News.Content.Webhooks;

namespace T4K3News.Api.Webhooks;

/// <summary>
/// Sends the outbox. Every instance runs one; they share the work through the database. A delivery is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> only when a free slot starts its attempt at once, and leased for what that attempt
/// can take (its next attempt time moves past the attempt's timeout): so a slow POST is never sent twice, a delivery
/// waiting behind others stays free for any instance, and a crashed instance's claim lapses and is taken up again.
/// Each attempt runs on its own: a slot that frees is filled at once, and one webhook holds at most half the slots,
/// so a slow receiver never holds back the others. Woken by the outbox's NOTIFY, and every
/// <see cref="WebhookOptions.PollInterval"/> anyway (retries, missed notifications, a restart with work waiting).
/// </summary>
public sealed class WebhookDeliveryWorker(
    HousekeepingDatabase databases, TimeProvider clock, IOptions<WebhookOptions> options, WebhookSignals signals, ILogger<WebhookDeliveryWorker> log)
    : BackgroundService
{
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
    private DateTime prunedAt = DateTime.MinValue;
    private HttpClient? http;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => WebhookAddresses.ConnectAsync(context, settings.AllowPrivateNetworks, cancellationToken),
        };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("T4K3News-Webhooks/1.0");
        http = client;
        var slots = Math.Max(1, settings.MaxConcurrentDeliveries);
        var running = new Dictionary<Task, int>(); // each attempt under way, and its webhook
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var done in running.Keys.Where(t => t.IsCompleted).ToList())
                        running.Remove(done);
                    var claimed = running.Count < slots
                        ? await ClaimAsync(slots - running.Count, slots, running.Values, stoppingToken)
                        : [];
                    foreach (var delivery in claimed)
                        running.Add(AttemptAsync(delivery, stoppingToken), delivery.WebhookId);
                    if (claimed.Count > 0 && running.Count < slots)
                        continue; // more may be due, for the slots still free
                    if (running.Count == 0)
                        await PruneAsync(stoppingToken);

                    // Until an attempt ends (a slot frees), a delivery is written, or the next one comes due.
                    using var slotFreed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var full = running.Values.GroupBy(id => id).Where(g => g.Count() >= PerWebhook(slots))
                        .Select(g => g.Key).ToArray();
                    var wait = running.Count >= slots
                        ? settings.PollInterval
                        : await UntilNextAttemptAsync(full, stoppingToken);
                    var woken = signals.Deliveries.WaitAsync(wait, slotFreed.Token);
                    if (running.Count > 0 && await Task.WhenAny(woken, Task.WhenAny(running.Keys)) != woken)
                        slotFreed.Cancel(); // leaves the signal set for the next wait
                    try
                    {
                        await woken;
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }

                    delay = TimeSpan.FromSeconds(1);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Never the host's end: the database may be away for a while, and the outbox waits.
                    log.LogWarning(e, "Delivering webhooks failed; trying again in {Delay}", delay);
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
        }
        finally
        {
            await Task.WhenAll(running.Keys);
        }
    }

    /// <summary>
    /// Claims up to <paramref name="free"/> due deliveries, the longest waiting first, leaving each webhook at most
    /// half of the <paramref name="slots"/> with those of its attempts already <paramref name="running"/> here.
    /// </summary>
    private async Task<List<ClaimedDelivery>> ClaimAsync(
        int free, int slots, IEnumerable<int> running, CancellationToken cancellationToken)
    {
        var now = Now();
        var leaseEnd = now + options.Value.Timeout + LeaseMargin;
        var perWebhook = PerWebhook(slots);
        var busy = running.GroupBy(id => id).ToList();
        var busyIds = busy.Select(g => g.Key).ToArray();
        var busyCounts = busy.Select(g => g.Count()).ToArray();
        await using var db = databases.Open();
        return await db.Database.SqlQuery<ClaimedDelivery>($"""
            UPDATE "WebhookDeliveries" d SET "Attempts" = d."Attempts" + 1, "NextAttemptAt" = {leaseEnd}
            FROM "Webhooks" w
            WHERE w."Id" = d."WebhookId" AND d."Id" IN (
                SELECT c."Id"
                FROM (
                    SELECT due."Id", due."NextAttemptAt",
                        coalesce(b.n, 0)
                            + row_number() OVER (PARTITION BY h."Id" ORDER BY due."NextAttemptAt", due."Id") AS place
                    FROM "Webhooks" h
                    LEFT JOIN unnest({busyIds}::integer[], {busyCounts}::integer[]) AS b(id, n) ON b.id = h."Id"
                    CROSS JOIN LATERAL (
                        SELECT "Id", "NextAttemptAt"
                        FROM "WebhookDeliveries"
                        WHERE "WebhookId" = h."Id" AND "Status" = 'Pending' AND "NextAttemptAt" <= {now}
                        ORDER BY "NextAttemptAt", "Id"
                        LIMIT {perWebhook}
                        FOR UPDATE SKIP LOCKED) due) c
                WHERE c.place <= {perWebhook}
                ORDER BY c."NextAttemptAt", c."Id"
                LIMIT {free})
            RETURNING d."Id", d."WebhookId", d."MessageId", d."Payload", d."Attempts", w."Url", w."Secret",
                CASE WHEN w."PreviousSecretExpiresAt" > {now} THEN w."PreviousSecret" END AS "PreviousSecret"
            """).ToListAsync(cancellationToken);
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        int? code = null;
        string? error = null;
        try
        {
            var timestamp = clock.GetUtcNow();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", delivery.MessageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            // During a secret's rotation both sign, space-separated as Standard Webhooks allows: a receiver with either accepts.
            var signature = new StandardWebhook(delivery.Secret).Sign(delivery.MessageId, timestamp, delivery.Payload);
            if (delivery.PreviousSecret is { } previous)
                signature += " " + new StandardWebhook(previous).Sign(delivery.MessageId, timestamp, delivery.Payload);
            request.Headers.Add("webhook-signature", signature);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(settings.Timeout);
            // Only the status line and headers are read: a receiver's body, however large, is never downloaded.
            using var response = await http!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            code = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                error = $"HTTP {code}";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // The lease lapses and another attempt (here after a restart, or elsewhere) takes it up.
        }
        catch (OperationCanceledException)
        {
            error = $"No answer within {settings.Timeout.TotalSeconds:0.###} s.";
        }
        catch (Exception e)
        {
            // Whatever the receiver or the network did, it is this attempt's failure, never the worker's.
            error = e.GetBaseException().Message;
        }

        var now = Now();
        var delivered = error is null;
        var dead = !delivered && delivery.Attempts >= settings.MaxAttempts;
        var status = delivered ? WebhookDeliveryStatus.Delivered : dead ? WebhookDeliveryStatus.Dead : WebhookDeliveryStatus.Pending;
        var next = delivered || dead ? now : now + settings.RetryDelay(delivery.Attempts);
        var lastError = error is { Length: > WebhookLimits.LastError } ? error[..WebhookLimits.LastError] : error;
        try
        {
            await using var db = databases.Open();
            // Only while this attempt's claim still holds: a redelivery or a later claim meanwhile owns the row now.
            await db.WebhookDeliveries
                .Where(d => d.Id == delivery.Id && d.Attempts == delivery.Attempts
                    && d.Status == WebhookDeliveryStatus.Pending)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.Status, status)
                    .SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.LastResponseCode, code)
                    .SetProperty(d => d.LastError, lastError)
                    .SetProperty(d => d.DeliveredAt, delivered ? now : null), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The database is away: the lease lapses and the delivery is attempted again, as after a crash.
            log.LogWarning(e, "Recording webhook delivery {DeliveryId} attempt {Attempt} failed",
                delivery.Id, delivery.Attempts);
            return;
        }

        if (!delivered)
            log.LogInformation("Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error}", delivery.Id, delivery.Attempts, lastError);
    }

    /// <summary>Attempts one webhook may have under way in one instance: half, so others always find a slot.</summary>
    private static int PerWebhook(int slots) => Math.Max(1, slots / 2);

    /// <summary>
    /// Until the next delivery of a webhook other than the <paramref name="full"/> ones comes due, at most a poll
    /// interval.
    /// </summary>
    private async Task<TimeSpan> UntilNextAttemptAsync(int[] full, CancellationToken cancellationToken)
    {
        await using var db = databases.Open();
        var next = await db.WebhookDeliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && !full.Contains(d.WebhookId))
            .MinAsync(d => (DateTime?)d.NextAttemptAt, cancellationToken);
        var poll = options.Value.PollInterval;
        return next is { } at && at - Now() < poll ? at - Now() : poll;
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        if (now - prunedAt < PruneInterval && now >= prunedAt)
            return;
        prunedAt = now;
        var before = now.AddDays(-options.Value.RetentionDays);
        await using var db = databases.Open();
        await db.WebhookDeliveries.Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private sealed record ClaimedDelivery(
        long Id, int WebhookId, string MessageId, string Payload, int Attempts, string Url, string Secret,
        string? PreviousSecret);
}

/// <summary>
/// Contexts for background work, without the host's interceptors: it belongs to no request (the tests count a
/// request's statements through an interceptor). Its own small pool, whose idle connections close within seconds:
/// the workers need one connection most of the time and must not hold the server's connections when idle.
/// </summary>
public sealed class HousekeepingDatabase(ContentDatabase database)
{
    public const string ApplicationName = "t4k3news-background";
    private DbContextOptions<ContentDbContext>? options;

    public ContentDbContext Open()
    {
        if (Volatile.Read(ref options) is not { } built)
        {
            var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                ApplicationName = ApplicationName,
                MaxPoolSize = 5,
                ConnectionIdleLifetime = 10,
                ConnectionPruningInterval = 5,
            }.ConnectionString;
            var builder = new DbContextOptionsBuilder<ContentDbContext>();
            ContentDatabase.Configure(builder, connectionString);
            built = options = builder.Options;
        }

        return new ContentDbContext(built);
    }
}
