using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Audit;

/// <summary>
/// Appends one entry per mutation, in its own context so that refused and failed writes are recorded too. One per
/// request (scoped): a request's denied mutations are recorded once, however many fields it sends.
/// </summary>
public sealed class AuditLog(IDbContextFactory<ContentDbContext> databases, TimeProvider clock, ILogger<AuditLog> log)
{
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

    /// <summary>Records a mutation refused for want of credentials or role, only the first of its request.</summary>
    public Task RecordDeniedAsync(string actor, string operation, string? target, string code) =>
        Interlocked.Exchange(ref deniedRecorded, 1) == 0
            ? RecordAsync(actor, operation, target, $"denied: {code}", null, CancellationToken.None)
            : Task.CompletedTask;
}
