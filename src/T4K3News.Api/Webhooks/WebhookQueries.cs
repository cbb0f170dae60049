using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Auth;
using T4K3News.Content;
using T4K3News.Content.Webhooks;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Webhooks;

public static class WebhookQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<ListGraphType<NonNullGraphType<WebhookType>>>("webhooks")
            .Description("Every webhook, oldest first, without secrets (admins only; there are at most Webhooks:MaxWebhooks).")
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Admin);
                await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                return await db.Webhooks.AsNoTracking().OrderBy(w => w.Id).ToListAsync(context.CancellationToken);
            });

        query.Field<WebhookDeliveriesConnectionType>("webhookDeliveries")
            .Description("A webhook's deliveries, newest first (admins only).")
            .Argument<NonNullGraphType<IdGraphType>>("webhookId")
            .PagingArguments()
            .Argument<WebhookDeliveryFilterInputType>("where")
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Admin);
                var id = context.GetArgument<string>("webhookId");
                if (!Editing.MutationRunner.TryDecodeId(id, WebhookType.TypeName, out var webhookId))
                    throw new ExecutionError($"'{id}' is not the id of a webhook.") { Code = ErrorCodes.InvalidId };
                var where = context.GetArgument<object?>("where");
                return await context.ToConnectionAsync(Databases(context), db =>
                {
                    var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhookId);
                    if (where is not null)
                        deliveries = deliveries.Where(WebhookDeliveryFiltering.Filter.ToPredicate(where));
                    return deliveries.OrderByDescending(d => d.Id);
                }, context.CancellationToken);
            });
    }

    /// <summary>node(id:) of a webhook or a delivery: admins only; for anyone else, as if there were none.</summary>
    public static object? LoadNode(IResolveFieldContext context, int key) =>
        context.User?.IsInRole(Roles.Admin) != true ? null : new UnbatchedResult<Webhook?>(LoadAsync(context, key));

    public static object? LoadDeliveryNode(IResolveFieldContext context, int key) =>
        context.User?.IsInRole(Roles.Admin) != true ? null : new UnbatchedResult<WebhookDelivery?>(LoadDeliveryAsync(context, key));

    private static async Task<Webhook?> LoadAsync(IResolveFieldContext context, int key)
    {
        await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
        return await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == key, context.CancellationToken);
    }

    private static async Task<WebhookDelivery?> LoadDeliveryAsync(IResolveFieldContext context, int key)
    {
        await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
        return await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == key, context.CancellationToken);
    }

    private static IDbContextFactory<ContentDbContext> Databases(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
}
