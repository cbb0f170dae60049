using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Articles;
using T4K3News.Api.GraphQL.Limits;
using T4K3News.Api.Tags;

namespace T4K3News.Api.GraphQL;

public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a globally unique, opaque ID.";
        Field<NonNullGraphType<IdGraphType>>("id");
    }
}

public static class NodeTypes
{
    /// <summary>Makes an entity's type a <c>Node</c> named <paramref name="typeName"/>, whose id is the global id of its key.</summary>
    public static void ImplementNode<T>(this ObjectGraphType<T> type, string typeName, Func<T, int> key)
    {
        type.Name = typeName;
        type.Interface<NodeInterface>();
        type.IsTypeOf = source => source is T;
        type.Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(typeName, key(c.Source)));
    }
}

/// <summary>Global object identification: <c>node(id:)</c> and <c>nodes(ids:)</c> for every type that implements Node.</summary>
public static class NodeQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NodeInterface>("node")
            .Description("Fetches an object given its ID.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "ID of the object.")
            .Resolve(context => Load(context, context.GetArgument<string>("id")));

        query.Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .Description("Lookup nodes by a list of IDs.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", "The list of node IDs.", ids => ids.WithKind(InputKind.NodeIds))
            .Resolve(context => context.GetArgument<List<string>>("ids").Select((id, index) => LoadOrReport(context, id, index)).ToList());
    }

    /// <summary>A bad id nulls its own entry, with an error at that entry's path; the other entries still load.</summary>
    private static object? LoadOrReport(IResolveFieldContext context, string id, int index)
    {
        try
        {
            return Load(context, id);
        }
        catch (ExecutionError error)
        {
            error.Path = [.. context.Path, index];
            context.Errors.Add(error);
            return null;
        }
    }

    private static object? Load(IResolveFieldContext context, string id)
    {
        if (!GlobalId.TryDecode(id, out var typeName, out var key))
            throw new ExecutionError($"'{id}' is not a valid node ID.") { Code = ErrorCodes.InvalidId };

        var services = context.RequestServices!;
        return typeName switch
        {
            ArticleType.TypeName => services.GetRequiredService<ArticleLoaders>().ById.Load(key),
            TagType.TypeName => services.GetRequiredService<TagLoaders>().ById.Load(key),
            ArticleRevisionType.TypeName => services.GetRequiredService<ArticleLoaders>().Revisions.Load(key),
            PublicationType.TypeName => services.GetRequiredService<ArticleLoaders>().Publications.Load(key),
            _ => throw new ExecutionError($"'{id}' is not the ID of a known type.") { Code = ErrorCodes.InvalidId },
        };
    }
}
