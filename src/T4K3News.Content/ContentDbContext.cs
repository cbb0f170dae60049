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
    public DbSet<Authors.Author> Authors => Set<Authors.Author>();
    public DbSet<ArticleByline> ArticleBylines => Set<ArticleByline>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<TagSlugHistory> TagSlugHistory => Set<TagSlugHistory>();
    public DbSet<ArticleSlugHistory> ArticleSlugHistory => Set<ArticleSlugHistory>();
    public DbSet<Authors.AuthorSlugHistory> AuthorSlugHistory => Set<Authors.AuthorSlugHistory>();
    public DbSet<DeletedTag> DeletedTags => Set<DeletedTag>();
    public DbSet<Import.DeletedSeedSource> DeletedSeedSources => Set<Import.DeletedSeedSource>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PersistedQuery> PersistedQueries => Set<PersistedQuery>();
    public DbSet<Previews.PreviewLink> PreviewLinks => Set<Previews.PreviewLink>();
    public DbSet<Webhooks.Webhook> Webhooks => Set<Webhooks.Webhook>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.ScheduledPublication> ScheduledPublications => Set<Webhooks.ScheduledPublication>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ContentDbContext).Assembly);

    /// <summary>Saves, then announces every created, changed or deleted tag (see <see cref="TagChange"/>) and author; articles are
    /// announced by their one write path, <see cref="ArticleWrite"/>.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var tags = ChangeTracker.Entries<Tag>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Tag: e.Entity, Change: e.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" })).ToList();
        var authors = ChangeTracker.Entries<Authors.Author>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity).ToList();
        if (tags.Count == 0 && authors.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        // The announcements and the TAG_CHANGED deliveries belong to the save's transaction (its own, if the caller has none).
        await using var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (authors.Count > 0)
        {
            var authorIds = authors.Select(author => author.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            await Database.ExecuteSqlAsync($"SELECT pg_notify({T4K3News.Content.Authors.AuthorChange.Channel}, payload) FROM unnest({authorIds}) AS payload", cancellationToken);
        }

        if (tags.Count > 0)
        {
            var now = DateTime.UtcNow;
            var payloads = tags.Select(t => t.Tag.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var events = tags.Select(t => Content.Webhooks.WebhookOutbox.TagEvent(t.Tag, t.Change, now)).ToList();
            await Content.Webhooks.WebhookOutbox.AnnounceAsync(this, TagChange.Channel, payloads, events, now, cancellationToken);
        }

        if (ownTransaction is not null)
            await ownTransaction.CommitAsync(cancellationToken);
        return saved;
    }
}
