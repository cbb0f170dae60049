using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Filtering;

namespace T4K3News.Api.Authors;

public static class AuthorQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<AuthorType>("author")
            .Description("The author with this slug (in any case), or with this slug before a change; its slug field is the one to redirect to.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async context =>
            {
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var slug = Content.Articles.Slug.Canonical(context.GetArgument<string>("slug"));
                await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
                return await db.Authors.AsNoTracking()
                        .SingleOrDefaultAsync(a => a.Slug == slug, context.CancellationToken)
                    ?? await db.AuthorSlugHistory.Where(h => h.Slug == slug)
                        .Join(db.Authors, h => h.AuthorId, a => a.Id, (_, a) => a)
                        .AsNoTracking().SingleOrDefaultAsync(context.CancellationToken);
            });

        query.Field<AuthorsConnectionType>("authors")
            .Description("All authors, by name unless ordered otherwise.")
            .PagingArguments()
            .Argument<AuthorFilterInputType>("where")
            .Argument<ListGraphType<NonNullGraphType<AuthorSortInputType>>>("order")
            .ResolveAsync(async context =>
            {
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var where = context.GetArgument<object?>("where");
                var order = context.GetArgument<List<object?>?>("order") ?? [new Dictionary<string, object?> { ["name"] = SortDirection.Asc }];
                return await context.ToConnectionAsync(databases, db =>
                {
                    var authors = db.Authors.AsNoTracking();
                    if (where is not null)
                        authors = authors.Where(AuthorFiltering.Filter.ToPredicate(where));
                    return AuthorFiltering.Sort.Apply(authors, order, a => a.Id, SortDirection.Asc);
                }, context.CancellationToken);
            });
    }
}
