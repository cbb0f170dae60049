using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Api.Auth;
using T4K3News.GraphQLServer;
using T4K3News.Content;
using T4K3News.Content.Audit;

namespace T4K3News.Api.Audit;

public sealed class AuditEntryType : AutoRegisteringObjectGraphType<AuditEntry>
{
    public AuditEntryType() : base(e => e.Id)
    {
        Name = "AuditEntry";
        Description = "One mutation: who (token name), what, on which object, when, and its outcome (succeeded, refused: ..., denied: ...).";
    }
}

public sealed class AuditEntriesEdgeType() : EdgeType<AuditEntry, AuditEntryType>("AuditEntriesEdge");

public sealed class AuditEntriesConnectionType() : ConnectionType<AuditEntry, AuditEntryType, AuditEntriesEdgeType>("AuditEntriesConnection");

public static class AuditQueries
{
    public static void Register(ObjectGraphType query) =>
        query.Field<AuditEntriesConnectionType>("auditLog")
            .Description("Every mutation, newest first (admins only).")
            .PagingArguments()
            .Argument<StringGraphType>("actor", "Only this token's mutations.")
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Admin);
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var actor = context.GetArgument<string?>("actor");
                return await context.ToConnectionAsync(databases, db =>
                {
                    var entries = db.AuditEntries.AsNoTracking();
                    if (actor is not null)
                        entries = entries.Where(e => e.Actor == actor);
                    return entries.OrderByDescending(e => e.Id);
                }, context.CancellationToken);
            });
}
