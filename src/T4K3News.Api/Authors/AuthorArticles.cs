using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Articles;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Authors;

/// <summary>
/// <c>Author.articles</c> for every author of a list at once, as <c>Tag.articles</c> does for tags: one statement for
/// the pages of all of them, and one for their totals when asked. Authors share a batch when they come from the same
/// field of the same operation, so they share its arguments.
/// </summary>
public sealed class AuthorArticles(IDbContextFactory<ContentDbContext> databases, ArticleAccess access)
{
    private readonly ConcurrentDictionary<(GraphQLField, Variables), Batch> batches = new(new SameFieldOfSameOperation());

    public IDataLoaderResult<Connection<Article>> Load(IResolveFieldContext context, int authorId)
    {
        var arguments = PagingArguments.From(context);
        var where = context.GetArgument<object?>("where");
        var order = context.GetArgument<List<object?>?>("order");
        if (arguments.NeedsTotal)
        {
            // Counting back from each author's own end gives every author their own offset: not one statement, and rare.
            return new UnbatchedResult<Connection<Article>>(context.ToConnectionAsync(databases,
                db => ArticleFiltering.Apply(access.Articles(db).AsNoTracking().Where(a => a.Bylines.Any(b => b.AuthorId == authorId)), where, order),
                context.CancellationToken));
        }

        var batch = batches.GetOrAdd((context.FieldAst, context.Variables), _ => new Batch(databases, access, arguments.Window(), where, order));
        return batch.Load(authorId);
    }

    private sealed class Batch
    {
        private readonly BatchLoader<int, Connection<Article>> pages;
        private readonly BatchLoader<int, int> totals;

        public Batch(IDbContextFactory<ContentDbContext> databases, ArticleAccess access, PageWindow window, object? where, List<object?>? order)
        {
            IQueryable<Article> Filtered(ContentDbContext db) => ArticleFiltering.Apply(access.Articles(db).AsNoTracking(), where, order);

            totals = new(async (authorIds, ct) =>
            {
                await using var db = await databases.CreateDbContextAsync(ct);
                var filtered = Filtered(db);
                // Counted per article: an author credited in two roles on one article counts it once.
                return await db.Authors
                    .Where(author => authorIds.Contains(author.Id))
                    .Select(author => new { author.Id, Count = filtered.Count(a => a.Bylines.Any(b => b.AuthorId == author.Id)) })
                    .ToDictionaryAsync(author => author.Id, author => author.Count, ct);
            }, 0);

            pages = new(async (authorIds, ct) =>
            {
                var rows = new Dictionary<int, List<Article>>();
                if (window.Size > 0)
                {
                    await using var db = await databases.CreateDbContextAsync(ct);
                    var filtered = Filtered(db);
                    rows = await db.Authors
                        .Where(author => authorIds.Contains(author.Id))
                        .Select(author => new
                        {
                            author.Id,
                            Page = filtered.Where(a => a.Bylines.Any(b => b.AuthorId == author.Id)).Skip(window.Start).Take(window.Size + 1).ToList(),
                        })
                        .ToDictionaryAsync(author => author.Id, author => author.Page, ct);
                }

                return authorIds.ToDictionary(id => id, id => PagingArguments.ToConnection(window, rows.GetValueOrDefault(id) ?? [], _ => totals.Load(id)));
            }, null!);
        }

        public IDataLoaderResult<Connection<Article>> Load(int authorId) => pages.Load(authorId);
    }

    private sealed class SameFieldOfSameOperation : IEqualityComparer<(GraphQLField Field, Variables Variables)>
    {
        public bool Equals((GraphQLField Field, Variables Variables) x, (GraphQLField Field, Variables Variables) y) =>
            ReferenceEquals(x.Field, y.Field) && ReferenceEquals(x.Variables, y.Variables);

        public int GetHashCode((GraphQLField Field, Variables Variables) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Field), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Variables));
    }
}
