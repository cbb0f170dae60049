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
    private readonly Lazy<NpgsqlDataSource> source = new(() => NpgsqlDataSource.Create(GenericPlans(ContentDatabase.Tuned(database.ConnectionString))));

    /// <summary>
    /// A planned statement's parameters are the current time and the client's values, whose estimates hardly change its
    /// best plan (its shape is fixed by the selection). PostgreSQL's default would still plan each execution anew (the
    /// time makes a generic plan look dearer than a custom one, so it never switches to it), which cost more than running
    /// the statement; here a prepared statement is planned once per connection, as pgbench -M prepared does.
    /// </summary>
    private static string GenericPlans(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
            builder.Options = $"{builder.Options} -c plan_cache_mode=force_generic_plan".Trim();
        return builder.ConnectionString;
    }

    /// <summary>
    /// Runs a statement that returns one JSON value (no row, or NULL: a JSON null) and, in a second column, the cache
    /// keys of what it shows; <paramref name="whenNoRow"/> are the keys of an answer that found nothing (or of any answer
    /// when the statement has no second column). Parameters are values, or named <see cref="NpgsqlParameter"/>s. The JSON stays
    /// the UTF-8 bytes PostgreSQL sent, which go into the response as they are.
    /// </summary>
    public async Task<GraphQLServer.PlannedValue> QueryJsonAsync(string sql, IReadOnlyList<object> parameters, IReadOnlyCollection<string> whenNoRow, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
            observer.Executing(sql);
        await using var command = source.Value.CreateCommand(sql);
        foreach (var value in parameters)
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new GraphQLServer.PlannedValue(null, whenNoRow);
        var json = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
        var shown = reader.FieldCount == 1 ? whenNoRow : !reader.IsDBNull(1) ? reader.GetFieldValue<string[]>(1) : [];
        return new GraphQLServer.PlannedValue(json, shown);
    }

    public async ValueTask DisposeAsync()
    {
        if (source.IsValueCreated)
            await source.Value.DisposeAsync();
    }
}
