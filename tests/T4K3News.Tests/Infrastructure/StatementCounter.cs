using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace T4K3News.Tests.Infrastructure;

/// <summary>Counts the SQL statements sent, through EF Core or as planned reads, to prove that children load in batches.</summary>
public sealed class StatementCounter : DbCommandInterceptor, T4K3News.Api.Reading.IReadStatementObserver
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public void Executing(string sql) => Interlocked.Increment(ref count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }
}
