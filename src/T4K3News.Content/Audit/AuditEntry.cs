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

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.HasIndex(e => e.At);
        entry.Property(e => e.Actor).HasMaxLength(100);
        entry.Property(e => e.Operation).HasMaxLength(100);
        entry.Property(e => e.Target).HasMaxLength(300);
        entry.Property(e => e.Outcome).HasMaxLength(50);
        entry.Property(e => e.Details).HasMaxLength(4000);
    }
}
