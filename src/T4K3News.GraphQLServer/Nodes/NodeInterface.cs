using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using T4K3News.GraphQLServer.Limits;

namespace T4K3News.GraphQLServer;

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
        if (!context.RequestServices!.GetRequiredService<NodeRegistry>().TryLoad(context, typeName, key, out var node))
            throw new ExecutionError($"'{id}' is not the ID of a known type.") { Code = ErrorCodes.InvalidId };
        return node;
    }
}

/// <summary>How one Node type is fetched by its key: the object, a batched result of it, or null when the caller may not see it.</summary>
public sealed record NodeLoader(string TypeName, Func<IResolveFieldContext, int, object?> Load);

/// <summary>Every type that implements Node, by the type name in its ids; features add theirs with <see cref="NodeServices.AddNode"/>.</summary>
public sealed class NodeRegistry(IEnumerable<NodeLoader> loaders)
{
    private readonly Dictionary<string, NodeLoader> byTypeName = loaders.ToDictionary(l => l.TypeName, StringComparer.Ordinal);

    internal bool TryLoad(IResolveFieldContext context, string typeName, int key, out object? node)
    {
        node = byTypeName.TryGetValue(typeName, out var loader) ? loader.Load(context, key) : null;
        return loader is not null;
    }
}

public static class NodeServices
{
    /// <summary>Lets <c>node(id:)</c> and <c>nodes(ids:)</c> fetch the Node type <paramref name="typeName"/>.</summary>
    public static IServiceCollection AddNode(this IServiceCollection services, string typeName, Func<IResolveFieldContext, int, object?> load) =>
        services.AddSingleton(new NodeLoader(typeName, load));
}
