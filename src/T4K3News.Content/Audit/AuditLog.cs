using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Audit;

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>How long the entries of mutations denied for want of a token are kept.</summary>
    public TimeSpan DeniedRetention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Appends one entry per mutation, in its own context so that refused and failed writes are recorded too. One per
/// request (scoped): a request's denied mutations are recorded once, however many fields it sends.
/// </summary>
public sealed class AuditLog(
    IDbContextFactory<ContentDbContext> databases,
    TimeProvider clock,
    IOptions<AuditOptions> options,
    ILogger<AuditLog> log)
{
    /// <summary>The outcome of a mutation sent without a valid token: anyone can make these, so they expire.</summary>
    public const string DeniedWithoutToken = "denied: AUTH_NOT_AUTHENTICATED";

    private int deniedRecorded;

    /// <summary>
    /// Records an entry, every value clipped to its column. It never fails the mutation it records: that has committed
    /// or been refused already, and the caller must hear which, so a failure to write the entry is only logged.
    /// </summary>
    public async Task RecordAsync(string actor, string operation, string? target, string outcome, string? details, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.AuditEntries.Add(new AuditEntry
            {
                At = clock.GetUtcNow().UtcDateTime,
                Actor = StoredText.Clip(actor, AuditLimits.Actor),
                Operation = StoredText.Clip(operation, AuditLimits.Operation),
                Target = target is null ? null : StoredText.Clip(target, AuditLimits.Target),
                Outcome = StoredText.Clip(outcome, AuditLimits.Outcome),
                Details = details is null ? null : StoredText.Clip(details, AuditLimits.Details),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Could not write the audit entry of {Operation} by {Actor} ({Outcome})", operation, actor, outcome);
        }
    }

    /// <summary>
    /// Records a mutation refused for want of credentials or role, only the first of its request, and deletes expired
    /// entries of mutations denied for want of a token (see <see cref="PurgeExpiredDeniedAsync"/>).
    /// </summary>
    public async Task RecordDeniedAsync(string actor, string operation, string? target, string code)
    {
        if (Interlocked.Exchange(ref deniedRecorded, 1) != 0)
            return;
        await RecordAsync(actor, operation, target, $"denied: {code}", null, CancellationToken.None);
        try
        {
            await PurgeExpiredDeniedAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Could not delete expired audit entries of denied mutations");
        }
    }

    /// <summary>
    /// Deletes up to 100 entries of mutations denied for want of a token that are older than
    /// Audit:DeniedRetention; editors' and admins' entries, denied ones included, stay. Run on each denied write, the
    /// one place such entries come from, so the work follows the flood; rows another instance is deleting are skipped.
    /// </summary>
    public async Task<int> PurgeExpiredDeniedAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.DeniedRetention;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlRawAsync(
            PurgeStatement, [new Npgsql.NpgsqlParameter("cutoff", cutoff)], cancellationToken);
    }

    // The outcome is written into the statement, not sent as a parameter, so that the planner can use the partial index
    // on it whatever plan it keeps. 100 a time: more than the one entry a denied write adds, so no backlog can grow.
    private const string PurgeStatement = $"""
        DELETE FROM "AuditEntries"
        WHERE "Id" IN (
            SELECT "Id"
            FROM "AuditEntries"
            WHERE "Outcome" = '{DeniedWithoutToken}' AND "At" < @cutoff
            ORDER BY "At"
            LIMIT 100
            FOR UPDATE SKIP LOCKED)
        """;
}
