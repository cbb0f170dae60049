using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using T4K3News.Content;

namespace T4K3News.Benchmarks;

/// <summary>
/// Writes the data set with binary COPY, column by column as the EF model maps each entity: a renamed or added property
/// is loaded without touching this file, and a new required column the data set does not fill fails the load loudly.
/// </summary>
public static class DataSetLoader
{
    public static async Task LoadAsync(ContentDbContext db, ReadDataSet data, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        // The articles' triggers index every text for search as it arrives: on a busy machine that outlasts 30 s.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var articles = data.Articles;
        await CopyAsync(db, [data.Publication], cancellationToken);
        await CopyAsync(db, data.Tags, cancellationToken);
        await CopyAsync(db, articles, cancellationToken);
        await CopyAsync(db, articles.SelectMany(a => a.ArticleTags), cancellationToken);
        await CopyAsync(db, articles.SelectMany(a => a.RelatedArticles), cancellationToken);
        await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE", cancellationToken);
    }

    private static async Task CopyAsync<T>(ContentDbContext db, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(property => new Column(
            property.GetColumnName(table) ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property.Name} has no column."),
            property.PropertyInfo ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property.Name} is a shadow property; give the data set a value for it."),
            property.GetTypeMapping().Converter,
            // "character varying(200)" is written as "character varying": the length is the column's business.
            property.GetColumnType().Split('(')[0])).ToList();
        // Ordered lists kept as JSON columns of the row: each item's properties under their JSON names.
        foreach (var list in entity.GetComplexProperties().Where(c => c.IsCollection))
        {
            var items = list.ComplexType.GetProperties().Select(p => (Name: p.GetJsonPropertyName() ?? p.Name, Property: p.PropertyInfo!)).ToList();
            columns.Add(new Column(list.ComplexType.GetContainerColumnName() ?? list.Name, list.PropertyInfo!,
                new Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<System.Collections.IEnumerable, string>(
                    value => JsonOf(value, items), json => null!),
                "jsonb"));
        }

        var tableName = Quote(table.Name, table.Schema);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY {tableName} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            writer.Timeout = TimeSpan.FromMinutes(10);
            foreach (var row in rows)
            {
                await writer.StartRowAsync(cancellationToken);
                foreach (var column in columns)
                {
                    var value = column.Property.GetValue(row);
                    if (value is not null && column.Converter is not null)
                        value = column.Converter.ConvertToProvider(value);
                    if (value is null)
                        await writer.WriteNullAsync(cancellationToken);
                    else
                        await writer.WriteAsync(value, column.StoreType, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Ids were given explicitly; move identity sequences past them, so the database stays writable.
        foreach (var key in entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey()))
        {
            var column = key.GetColumnName(table)!;
            await using var setval = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), (SELECT coalesce(max({Quote(column)}), 0) + 1 FROM {tableName}), false)", connection);
            setval.Parameters.AddWithValue("table", tableName);
            setval.Parameters.AddWithValue("column", column);
            await setval.ExecuteScalarAsync(cancellationToken);
        }
    }

    private static string JsonOf(System.Collections.IEnumerable value, List<(string Name, System.Reflection.PropertyInfo Property)> items) =>
        System.Text.Json.JsonSerializer.Serialize(value.Cast<object>().Select(item => items.ToDictionary(i => i.Name, i => i.Property.GetValue(item))));

    private static string Quote(string name, string? schema = null) =>
        (schema is null ? "" : Quote(schema) + ".") + "\"" + name.Replace("\"", "\"\"") + "\"";

    private sealed record Column(string Name, PropertyInfo Property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string StoreType);
}
