using Npgsql;

namespace T4K3News.Benchmarks;

/// <summary>
/// SQL statements executed in the benchmark's database, from pg_stat_statements (preloaded in the throwaway cluster):
/// reset before a run, summed after it. Its own queries are left out, and its connections are not pooled, so that
/// they add no resets. Npgsql resets a pooled connection with DISCARD ALL when it is opened again; those are counted
/// apart from the queries.
/// </summary>
public sealed class StatementCounter(string connectionString)
{
    private const string Reset = "DISCARD ALL";

    private const string OwnDatabaseOthersQueries =
        "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
        "AND query NOT LIKE '%pg_stat_statements%'";

    public static async Task InstallAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StatementCount> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce(sum(calls) FILTER (WHERE query <> '{Reset}'), 0)::bigint, coalesce(sum(calls) FILTER (WHERE query = '{Reset}'), 0)::bigint " +
            OwnDatabaseOthersQueries, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StatementCount(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Each statement (normalised, shortened) with its number of calls, most called first.</summary>
    public async Task<IReadOnlyList<(string Query, long Calls)>> StatementsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110), calls {OwnDatabaseOthersQueries} ORDER BY calls DESC, query", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statements = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
            statements.Add((reader.GetString(0), reader.GetInt64(1)));
        return statements;
    }
}

public sealed record StatementCount(long Queries, long Resets);
