using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Tags;

/// <summary>
/// <c>Tag.articles</c> for every tag of a list at once: one statement for the pages of all of them, and one for their
/// totals when asked. Tags share a batch when they come from the same field of the same operation, so they share its
/// arguments (where, order, first, after, before).
/// </summary>
public sealed class TagArticles(IDbContextFactory<ContentDbContext> databases, ArticleAccess access)
{
    private readonly ConcurrentDictionary<(GraphQLField, Variables), Batch> batches = new(new SameFieldOfSameOperation());

    public IDataLoaderResult<Connection<Article>> Load(IResolveFieldContext context, int tagId)
    {
        var arguments = PagingArguments.From(context);
        var where = context.GetArgument<object?>("where");
        var order = context.GetArgument<List<object?>?>("order");
        if (arguments.NeedsTotal)
        {
            // Counting back from each tag's own end gives every tag its own offset: not one statement, and rare.
            return new UnbatchedResult<Connection<Article>>(context.ToConnectionAsync(databases,
                db => ArticleFiltering.Apply(access.Articles(db).AsNoTracking().Where(a => a.ArticleTags.Any(t => t.TagId == tagId)), where, order),
                context.CancellationToken));
        }

        var batch = batches.GetOrAdd((context.FieldAst, context.Variables), _ => new Batch(databases, access, arguments.Window(), where, order));
        return batch.Load(tagId);
    }

    private sealed class Batch
    {
        private readonly BatchLoader<int, Connection<Article>> pages;
        private readonly BatchLoader<int, int> totals;

        public Batch(IDbContextFactory<ContentDbContext> databases, ArticleAccess access, PageWindow window, object? where, List<object?>? order)
        {
            IQueryable<Article> Filtered(ContentDbContext db) => ArticleFiltering.Apply(access.Articles(db).AsNoTracking(), where, order);

            totals = new(async (tagIds, ct) =>
            {
                await using var db = await databases.CreateDbContextAsync(ct);
                return await Filtered(db)
                    .SelectMany(a => a.ArticleTags)
                    .Where(t => tagIds.Contains(t.TagId))
                    .GroupBy(t => t.TagId)
                    .ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
            }, 0);

            pages = new(async (tagIds, ct) =>
            {
                var rows = new Dictionary<int, List<Article>>();
                if (window.Size > 0)
                {
                    await using var db = await databases.CreateDbContextAsync(ct);
                    var filtered = Filtered(db);
                    rows = await db.Tags
                        .Where(tag => tagIds.Contains(tag.Id))
                        .Select(tag => new
                        {
                            tag.Id,
                            Page = filtered.Where(a => a.ArticleTags.Any(t => t.TagId == tag.Id)).Skip(window.Start).Take(window.Size + 1).ToList(),
                        })
                        .ToDictionaryAsync(tag => tag.Id, tag => tag.Page, ct);
                }

                return tagIds.ToDictionary(id => id, id => PagingArguments.ToConnection(window, rows.GetValueOrDefault(id) ?? [], _ => totals.Load(id)));
            }, null!);
        }

        public IDataLoaderResult<Connection<Article>> Load(int tagId) => pages.Load(tagId);
    }

    private sealed class SameFieldOfSameOperation : IEqualityComparer<(GraphQLField Field, Variables Variables)>
    {
        public bool Equals((GraphQLField Field, Variables Variables) x, (GraphQLField Field, Variables Variables) y) =>
            ReferenceEquals(x.Field, y.Field) && ReferenceEquals(x.Variables, y.Variables);

        public int GetHashCode((GraphQLField Field, Variables Variables) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Field), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Variables));
    }
}
