using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Content;

namespace T4K3News.Api.Search;

/// <summary>
/// The search index's side of start-up: the database trigger that keeps every article's search document reads its
/// text-search configuration from "SearchSettings"; when <c>Search:TextSearchConfiguration</c> names another one, it is
/// stored there and every article is indexed again, in one transaction. Also finds out whether pg_trgm (and so
/// "did you mean") is there. Every instance on one database must use the same configuration.
/// </summary>
public sealed class SearchIndex(IDbContextFactory<ContentDbContext> databases, IOptions<SearchOptions> options, ILogger<SearchIndex> log) : IHostedService
{
    /// <summary>Whether the trigram index behind suggestions exists; known once the host has started.</summary>
    public bool SuggestsWords { get; private set; }

    private readonly CancellationTokenSource stopping = new();

    /// <summary>
    /// Checks now; a database that does not answer yet must not stop a server that reports itself not ready, so then it
    /// checks again every few seconds in the background (without suggestions until it has).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException e) when (e is not Npgsql.PostgresException)
        {
            log.LogWarning("The search index's settings could not be checked, the database does not answer ({Message}); trying again", e.Message);
            _ = RetryAsync(stopping.Token);
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                await CheckAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Npgsql.NpgsqlException e) when (e is not Npgsql.PostgresException)
            {
                // Still unreachable.
            }
            catch (Exception e)
            {
                log.LogError(e, "The search index's settings could not be applied");
                return;
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var wanted = options.Value.TextSearchConfiguration;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var known = await db.Database.SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM pg_ts_config AS c JOIN pg_namespace AS n ON n.oid = c.cfgnamespace WHERE c.cfgname = {wanted} OR n.nspname || '.' || c.cfgname = {wanted}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!known)
            throw new InvalidOperationException(
                $"Search:TextSearchConfiguration is '{wanted}', which this PostgreSQL server does not know (see SELECT cfgname FROM pg_ts_config).");

        // Locked, so two instances starting together re-index once.
        var current = await db.Database.SqlQuery<string>($"SELECT \"TextSearchConfiguration\" AS \"Value\" FROM \"SearchSettings\" WHERE \"Id\" = 1 FOR UPDATE")
            .SingleAsync(cancellationToken);
        if (!string.Equals(current, wanted, StringComparison.Ordinal))
        {
            log.LogInformation("Search:TextSearchConfiguration changed from {Old} to {New}: indexing every article again", current, wanted);
            await db.Database.ExecuteSqlAsync($"UPDATE \"SearchSettings\" SET \"TextSearchConfiguration\" = {wanted} WHERE \"Id\" = 1", cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE "Articles" SET "SearchDocument" = t4k3news_article_search_document(
                    (SELECT "TextSearchConfiguration" FROM "SearchSettings" WHERE "Id" = 1)::regconfig,
                    "Title", "Standfirst", "Takeaways", "Body", "Analysis", "Quotes", "Highlights", "Callouts")
                """, cancellationToken);
        }

        SuggestsWords = await db.Database.SqlQuery<bool>(
                $"SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AND to_regclass('\"IX_SearchTitleWords_Trigrams\"') IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }
}
