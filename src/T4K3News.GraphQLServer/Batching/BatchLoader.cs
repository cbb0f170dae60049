using GraphQL.DataLoader;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Collects the keys that sibling resolvers ask for and fetches them with one query. GraphQL.NET completes
/// <see cref="IDataLoaderResult"/>s only after every other pending field of the step has run, so by the first
/// <c>GetResultAsync</c> all keys of that step are here.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch, TValue missing)
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly TValue missing = missing;
    private Batch? collecting;

    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (gate)
        {
            collecting ??= new Batch(this);
            collecting.Keys.Add(key);
            return new Result(collecting, key);
        }
    }

    private TValue Missing => missing;

    private Task<IReadOnlyDictionary<TKey, TValue>> Dispatch(Batch batch, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ReferenceEquals(collecting, batch))
                collecting = null;
            return batch.Fetching ??= fetch(batch.Keys, cancellationToken);
        }
    }

    private sealed class Batch(BatchLoader<TKey, TValue> loader)
    {
        public BatchLoader<TKey, TValue> Loader { get; } = loader;
        public HashSet<TKey> Keys { get; } = [];
        public Task<IReadOnlyDictionary<TKey, TValue>>? Fetching { get; set; }
    }

    private sealed class Result(Batch batch, TKey key) : IDataLoaderResult<TValue>
    {
        public async Task<TValue> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var values = await batch.Loader.Dispatch(batch, cancellationToken);
            return values.TryGetValue(key, out var value) ? value : batch.Loader.Missing;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken);
    }
}

/// <summary>A value that needs no batching, where a field's resolver otherwise returns a batched one.</summary>
public sealed class UnbatchedResult<TValue>(Task<TValue> value) : IDataLoaderResult<TValue>
{
    public Task<TValue> GetResultAsync(CancellationToken cancellationToken = default) => value;

    async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await value;
}
