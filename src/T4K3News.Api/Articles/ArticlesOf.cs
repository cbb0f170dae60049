using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Articles;

/// <summary>
/// The articles of each of many owners (a tag's, an author's) as a connection, for every owner of a list at once: one
/// statement for the pages of all of them, and one for their totals when asked. Owners share a batch when they come from
/// the same field of the same operation, so they share its arguments (where, order, first, after, before). A feature says
/// only which articles are an owner's; the caller's visibility, filters, order and paging are the same for all.
/// </summary>
public abstract class ArticlesOf(IDbContextFactory<ContentDbContext> databases, ArticleAccess access)
{
    private readonly IDbContextFactory<ContentDbContext> databases = databases;
    private readonly ArticleAccess access = access;
    private readonly ConcurrentDictionary<(GraphQLField, Variables), Batch> batches = new(new SameFieldOfSameOperation());

    /// <summary>The owner's articles among <paramref name="articles"/>.</summary>
    protected abstract IQueryable<Article> Of(IQueryable<Article> articles, int ownerId);

    /// <summary>For each of the owners, a page (<paramref name="skip"/>, <paramref name="take"/>) of its articles among <paramref name="articles"/>.</summary>
    protected abstract IQueryable<OwnedArticles> Pages(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds, int skip, int take);

    /// <summary>For each of the owners, how many of <paramref name="articles"/> are its own.</summary>
    protected abstract IQueryable<OwnedCount> Counts(ContentDbContext db, IQueryable<Article> articles, IReadOnlyCollection<int> ownerIds);

    public IDataLoaderResult<Connection<Article>> Load(IResolveFieldContext context, int ownerId)
    {
        var arguments = PagingArguments.From(context);
        var where = context.GetArgument<object?>("where");
        var order = context.GetArgument<List<object?>?>("order");
        if (arguments.NeedsTotal)
        {
            // Counting back from each owner's own end gives every owner its own offset: not one statement, and rare.
            return new UnbatchedResult<Connection<Article>>(context.ToConnectionAsync(databases,
                db => ArticleFiltering.Apply(Of(access.Articles(db).AsNoTracking(), ownerId), where, order, access.Now),
                context.CancellationToken));
        }

        var batch = batches.GetOrAdd((context.FieldAst, context.Variables), _ => new Batch(this, arguments.Window(), where, order));
        return batch.Load(ownerId);
    }

    public sealed class OwnedArticles
    {
        public required int OwnerId { get; init; }

        public required List<Article> Articles { get; init; }
    }

    public sealed class OwnedCount
    {
        public required int OwnerId { get; init; }

        public required int Count { get; init; }
    }

    private sealed class Batch
    {
        private readonly BatchLoader<int, Connection<Article>> pages;
        private readonly BatchLoader<int, int> totals;

        public Batch(ArticlesOf owners, PageWindow window, object? where, List<object?>? order)
        {
            IQueryable<Article> Filtered(ContentDbContext db) =>
                ArticleFiltering.Apply(owners.access.Articles(db).AsNoTracking(), where, order, owners.access.Now);

            totals = new(async (ownerIds, ct) =>
            {
                await using var db = await owners.databases.CreateDbContextAsync(ct);
                return await owners.Counts(db, Filtered(db), ownerIds).ToDictionaryAsync(c => c.OwnerId, c => c.Count, ct);
            }, 0);

            pages = new(async (ownerIds, ct) =>
            {
                var rows = new Dictionary<int, List<Article>>();
                if (window.Size > 0)
                {
                    await using var db = await owners.databases.CreateDbContextAsync(ct);
                    rows = await owners.Pages(db, Filtered(db), ownerIds, window.Start, window.Size + 1).ToDictionaryAsync(p => p.OwnerId, p => p.Articles, ct);
                }

                return ownerIds.ToDictionary(id => id, id => PagingArguments.ToConnection(window, rows.GetValueOrDefault(id) ?? [], _ => totals.Load(id)));
            }, null!);
        }

        public IDataLoaderResult<Connection<Article>> Load(int ownerId) => pages.Load(ownerId);
    }

    private sealed class SameFieldOfSameOperation : IEqualityComparer<(GraphQLField Field, Variables Variables)>
    {
        public bool Equals((GraphQLField Field, Variables Variables) x, (GraphQLField Field, Variables Variables) y) =>
            ReferenceEquals(x.Field, y.Field) && ReferenceEquals(x.Variables, y.Variables);

        public int GetHashCode((GraphQLField Field, Variables Variables) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Field), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Variables));
    }
}
