using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.PersistedQueries;

/// <summary>
/// A GraphQL document known by its SHA-256 hash (Apollo's automatic persisted queries), kept in PostgreSQL so that every
/// server instance knows it. Registered operations form the allow-list when the server runs in allow-list mode.
/// </summary>
public sealed class PersistedQuery
{
    public required string Hash { get; set; }
    public required string Document { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool IsRegistered { get; set; }
}

internal sealed class PersistedQueryConfiguration : IEntityTypeConfiguration<PersistedQuery>
{
    public void Configure(EntityTypeBuilder<PersistedQuery> query)
    {
        query.HasKey(q => q.Hash);
        query.Property(q => q.Hash).HasMaxLength(64);
        query.Property(q => q.Document).HasMaxLength(100_000);
    }
}
