using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Articles;

/// <summary>
/// The article as it stood after one successful write: a full snapshot (JSON of <see cref="ArticleSnapshot"/>), who
/// wrote it, when, and which fields changed. History is only ever appended to.
/// </summary>
public sealed class ArticleRevision
{
    public long Id { get; set; }
    public int ArticleId { get; set; }
    public int Version { get; set; }
    public required string Snapshot { get; set; }
    public List<string> ChangedFields { get; set; } = [];
    public required string Author { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> revision)
    {
        revision.HasIndex(r => new { r.ArticleId, r.Version }).IsUnique();
        revision.Property(r => r.Snapshot).HasColumnType("jsonb");
        // The author is a token's name, or "import".
        revision.Property(r => r.Author).HasMaxLength(Auth.ApiTokenLimits.Name);
        revision.HasOne<Article>().WithMany().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
