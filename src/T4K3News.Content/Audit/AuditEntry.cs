using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Audit;

/// <summary>One mutation as it happened: who, what, on which object, and whether it succeeded.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Operation { get; set; }
    public string? Target { get; set; }
    public required string Outcome { get; set; }
    public string? Details { get; set; }
}

/// <summary>The audit columns' sizes; what the log records is clipped to them (see <see cref="AuditLog"/>).</summary>
public static class AuditLimits
{
    public const int Actor = Auth.ApiTokenLimits.Name;
    public const int Operation = 100;
    public const int Target = 300;
    public const int Outcome = 200;
    public const int Details = 4_000;
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.HasIndex(e => e.At);
        // Only what the retention purge looks for, so that its work does not grow with the entries that are kept.
        entry.HasIndex(e => e.At, "IX_AuditEntries_At_DeniedWithoutToken")
            .HasFilter($"\"Outcome\" = '{AuditLog.DeniedWithoutToken}'");
        entry.Property(e => e.Actor).HasMaxLength(AuditLimits.Actor);
        entry.Property(e => e.Operation).HasMaxLength(AuditLimits.Operation);
        entry.Property(e => e.Target).HasMaxLength(AuditLimits.Target);
        entry.Property(e => e.Outcome).HasMaxLength(AuditLimits.Outcome);
        entry.Property(e => e.Details).HasMaxLength(AuditLimits.Details);
    }
}
