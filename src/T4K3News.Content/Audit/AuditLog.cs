using Microsoft.EntityFrameworkCore;

namespace T4K3News.Content.Audit;

/// <summary>Appends one entry per mutation, in its own context so that refused and failed writes are recorded too.</summary>
public sealed class AuditLog(IDbContextFactory<ContentDbContext> databases, TimeProvider clock)
{
    public async Task RecordAsync(string actor, string operation, string? target, string outcome, string? details, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Operation = operation,
            Target = target,
            Outcome = outcome,
            Details = details is { Length: > 4000 } ? details[..4000] : details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
