namespace T4K3News.Api.GraphQL;

public sealed class GraphQLHttpOptions
{
    public const string Section = "GraphQL";

    /// <summary>The most operations one POST may carry as a JSON array.</summary>
    public int MaxBatchSize { get; set; } = 10;
}
