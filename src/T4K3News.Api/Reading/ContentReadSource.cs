using Npgsql;
using T4K3News.Content;

namespace T4K3News.Api.Reading;

/// <summary>Sees every planned read statement before it runs (the tests count them).</summary>
public interface IReadStatementObserver
{
    void Executing(string sql);
}

/// <summary>
/// The planned reads' connection to PostgreSQL: one data source for the process, no DbContext. Pooled connections keep
/// their prepared statements (see <see cref="ContentDatabase.Tuned"/>), so a repeated plan is parsed and planned once.
/// </summary>
public sealed class ContentReadSource(ContentDatabase database, IEnumerable<IReadStatementObserver> observers) : IAsyncDisposable
{
    private readonly IReadStatementObserver[] observers = [.. observers];
    private readonly Lazy<NpgsqlDataSource> source = new(() => NpgsqlDataSource.Create(ContentDatabase.Tuned(database.ConnectionString)));

    /// <summary>Runs a statement that returns one JSON value (or no row, or NULL: a JSON null).</summary>
    public async Task<string?> QueryJsonAsync(string sql, IReadOnlyList<object> parameters, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
            observer.Executing(sql);
        await using var command = source.Value.CreateCommand(sql);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async ValueTask DisposeAsync()
    {
        if (source.IsValueCreated)
            await source.Value.DisposeAsync();
    }
}
