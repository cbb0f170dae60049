using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.PersistedQueries;

/// <summary>
/// A GraphQL document known by its SHA-256 hash (Apollo's automatic persisted queries), kept in PostgreSQL so that every
/// server instance knows it. Registered operations form the allow-list when the server runs in allow-list mode and are
/// kept for good; the others, left by clients, are kept within a quota, the least recently used going first.
/// </summary>
public sealed class PersistedQuery
{
    public required string Hash { get; set; }
    public required string Document { get; set; }

    /// <summary>The document's size in UTF-8, what the quota counts.</summary>
    public int Bytes { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When it was last asked for, to within <c>PersistedQueryStore.LastUsedResolution</c>.</summary>
    public DateTime LastUsedAt { get; set; }

    public bool IsRegistered { get; set; }
}

public static class PersistedQueryLimits
{
    public const int Hash = 64;
    public const int Document = 100_000;
}

internal sealed class PersistedQueryConfiguration : IEntityTypeConfiguration<PersistedQuery>
{
    public void Configure(EntityTypeBuilder<PersistedQuery> query)
    {
        query.HasKey(q => q.Hash);
        query.Property(q => q.Hash).HasMaxLength(PersistedQueryLimits.Hash);
        query.Property(q => q.Document).HasMaxLength(PersistedQueryLimits.Document);
        // What eviction walks, newest first, without reading the documents.
        query.HasIndex(q => new { q.LastUsedAt, q.Hash })
            .IsDescending(true, false)
            .IncludeProperties(q => q.Bytes)
            .HasFilter("NOT \"IsRegistered\"")
            .HasDatabaseName("IX_PersistedQueries_Automatic_LastUsedAt");
    }
}
