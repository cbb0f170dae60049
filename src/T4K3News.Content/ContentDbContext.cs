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
    public DbSet<DeletedTag> DeletedTags => Set<DeletedTag>();
    public DbSet<Import.DeletedSeedSource> DeletedSeedSources => Set<Import.DeletedSeedSource>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<PersistedQuery> PersistedQueries => Set<PersistedQuery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ContentDbContext).Assembly);
}
