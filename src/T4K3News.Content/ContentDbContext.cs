using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Articles;
using T4K3News.Content.Audit;
using T4K3News.Content.Auth;
using T4K3News.Content.PersistedQueries;
using T4K3News.Content.Publications;
using T4K3News.Content.Tags;

namespace T4K3News.Content;

public sealed class ContentDbContext(DbContextOptions<ContentDbContext> options) : DbContext(options)
{
    public DbSet<Publication> Publications => Set<Publication>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ArticleTag> ArticleTags => Set<ArticleTag>();
    public DbSet<RelatedArticle> RelatedArticles => Set<RelatedArticle>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<TagSlugHistory> TagSlugHistory => Set<TagSlugHistory>();
    public DbSet<ArticleSlugHistory> ArticleSlugHistory => Set<ArticleSlugHistory>();
    public DbSet<DeletedTag> DeletedTags => Set<DeletedTag>();
    public DbSet<Import.DeletedSeedSource> DeletedSeedSources => Set<Import.DeletedSeedSource>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PersistedQuery> PersistedQueries => Set<PersistedQuery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ContentDbContext).Assembly);

    /// <summary>Saves, then announces every created, changed or deleted tag (see <see cref="TagChange"/>); articles are
    /// announced by their one write path, <see cref="ArticleWrite"/>.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var tags = ChangeTracker.Entries<Tag>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity).ToList();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (tags.Count > 0)
        {
            var payloads = tags.Select(tag => tag.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            await Database.ExecuteSqlAsync($"SELECT pg_notify({TagChange.Channel}, payload) FROM unnest({payloads}) AS payload", cancellationToken);
        }

        return saved;
    }
}
