using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Filtering;
using T4K3News.Content;

namespace T4K3News.Api.Tags;

public static class TagQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<TagType>("tag")
            .Description("The tag with this slug (in any case), or with this slug before a rename or merge; its slug field is the one to redirect to.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async context =>
            {
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var slug = Content.Articles.Slug.Canonical(context.GetArgument<string>("slug"));
                await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
                return await db.Tags.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, context.CancellationToken)
                    ?? await db.TagSlugHistory.Where(h => h.Slug == slug)
                        .Join(db.Tags, h => h.TagId, t => t.Id, (_, t) => t)
                        .AsNoTracking().SingleOrDefaultAsync(context.CancellationToken);
            });

        query.Field<TagsConnectionType>("tags")
            .Description("All tags, by name unless ordered otherwise.")
            .PagingArguments()
            .Argument<TagFilterInputType>("where")
            .Argument<ListGraphType<NonNullGraphType<TagSortInputType>>>("order")
            .ResolveAsync(async context =>
            {
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var where = context.GetArgument<object?>("where");
                var order = context.GetArgument<List<object?>?>("order") ?? [new Dictionary<string, object?> { ["name"] = SortDirection.Asc }];
                return await context.ToConnectionAsync(databases, db =>
                {
                    var tags = db.Tags.AsNoTracking();
                    if (where is not null)
                        tags = tags.Where(TagFiltering.Filter.ToPredicate(where));
                    return TagFiltering.Sort.Apply(tags, order, t => t.Id, SortDirection.Asc);
                }, context.CancellationToken);
            });
    }
}
