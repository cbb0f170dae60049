using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using T4K3News.Content;
using T4K3News.Content.Webhooks;

namespace T4K3News.Api.Webhooks;

/// <summary>
/// Sends the outbox. Every instance runs one; they share the work through the database: a delivery is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and leased (its next attempt time moves past the attempt's timeout), so a slow POST is
/// never sent twice and a crashed instance's claim lapses and is taken up again. Woken by the outbox's NOTIFY, and
/// every <see cref="WebhookOptions.PollInterval"/> anyway (retries, missed notifications, a restart with work waiting).
/// </summary>
public sealed class WebhookDeliveryWorker(
    HousekeepingDatabase databases, TimeProvider clock, IOptions<WebhookOptions> options, WebhookSignals signals, ILogger<WebhookDeliveryWorker> log)
    : BackgroundService
{
    private const int Batch = 20;
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
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimAsync(stoppingToken);
                if (claimed.Count > 0)
                {
                    await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.MaxConcurrentDeliveries), CancellationToken = stoppingToken },
                        async (delivery, cancellationToken) => await AttemptAsync(delivery, cancellationToken));
                    continue;
                }

                await PruneAsync(stoppingToken);
                await signals.Deliveries.WaitAsync(await UntilNextAttemptAsync(stoppingToken), stoppingToken);
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

    private async Task<List<ClaimedDelivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        var leaseEnd = now + options.Value.Timeout + LeaseMargin;
        await using var db = databases.Open();
        return await db.Database.SqlQuery<ClaimedDelivery>($"""
            UPDATE "WebhookDeliveries" d SET "Attempts" = d."Attempts" + 1, "NextAttemptAt" = {leaseEnd}
            FROM "Webhooks" w
            WHERE w."Id" = d."WebhookId" AND d."Id" IN (
                SELECT "Id" FROM "WebhookDeliveries" WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now}
                ORDER BY "NextAttemptAt", "Id" LIMIT {Batch} FOR UPDATE SKIP LOCKED)
            RETURNING d."Id", d."MessageId", d."Payload", d."Attempts", w."Url", w."Secret",
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
        await using var db = databases.Open();
        // Only while this attempt's claim still holds: a redelivery or a later claim meanwhile owns the row now.
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.Attempts == delivery.Attempts && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LastResponseCode, code)
                .SetProperty(d => d.LastError, lastError)
                .SetProperty(d => d.DeliveredAt, delivered ? now : null), CancellationToken.None);
        if (!delivered)
            log.LogInformation("Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error}", delivery.Id, delivery.Attempts, lastError);
    }

    private async Task<TimeSpan> UntilNextAttemptAsync(CancellationToken cancellationToken)
    {
        await using var db = databases.Open();
        var next = await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending).MinAsync(d => (DateTime?)d.NextAttemptAt, cancellationToken);
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

    private sealed record ClaimedDelivery(long Id, string MessageId, string Payload, int Attempts, string Url, string Secret, string? PreviousSecret);
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
