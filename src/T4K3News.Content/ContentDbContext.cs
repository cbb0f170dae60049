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
    public DbSet<Takeaway> Takeaways => Set<Takeaway>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<Highlight> Highlights => Set<Highlight>();
    public DbSet<Callout> Callouts => Set<Callout>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ArticleTag> ArticleTags => Set<ArticleTag>();
    public DbSet<RelatedArticle> RelatedArticles => Set<RelatedArticle>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<TagSlugHistory> TagSlugHistory => Set<TagSlugHistory>();
    public DbSet<DeletedTag> DeletedTags => Set<DeletedTag>();
    public DbSet<Import.DeletedSeedSource> DeletedSeedSources => Set<Import.DeletedSeedSource>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PersistedQuery> PersistedQueries => Set<PersistedQuery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ContentDbContext).Assembly);

    /// <summary>
    /// Saves, then announces every stored revision and deleted article (see <see cref="ArticleChange"/>) and every
    /// created, changed or deleted tag (see <see cref="TagChange"/>).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var revisions = ChangeTracker.Entries<ArticleRevision>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var deletions = ChangeTracker.Entries<Article>().Where(e => e.State == EntityState.Deleted)
            .Select(e => new ArticleChange(e.Entity.Id, e.Entity.Version, ["deleted"], DeletedBy ?? "unknown", Deleted: true)).ToList();
        var tags = ChangeTracker.Entries<Tag>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity).ToList();

        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var notifications = revisions.Select(ArticleChange.Of).Concat(deletions).Select(change => (ArticleChange.Channel, change.ToJson()))
            .Concat(tags.Select(tag => (TagChange.Channel, tag.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .ToArray();
        if (notifications.Length > 0)
        {
            // One statement however many articles a write touched (a tag merge may touch thousands).
            var channels = notifications.Select(n => n.Item1).ToArray();
            var payloads = notifications.Select(n => n.Item2).ToArray();
            await Database.ExecuteSqlAsync($"SELECT pg_notify(channel, payload) FROM unnest({channels}, {payloads}) AS n(channel, payload)", cancellationToken);
        }

        return saved;
    }

    /// <summary>Who is deleting articles in this context, for the announcement (deletions leave no revision to name them).</summary>
    public string? DeletedBy { get; set; }
}
