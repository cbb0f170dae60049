using System.Globalization;
using System.Text.RegularExpressions;
using GraphQL.Types;
using GraphQLParser.AST;

namespace T4K3News.GraphQLServer.Scalars;

/// <summary>
/// GraphQL.NET's <c>DateTime</c> as HotChocolate's behaves: a time is read only with its offset (<c>Z</c> or
/// <c>+02:00</c>; one without is refused, never taken as UTC) and written in UTC to the microsecond, PostgreSQL's
/// precision, so that a moment a mutation returns looks exactly as later reads return it.
/// </summary>
public sealed partial class UtcDateTimeGraphType : DateTimeGraphType
{
    public UtcDateTimeGraphType() => Name = "DateTime";

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue text => Parse(text.Value.ToString()),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text => Parse(text),
        DateTimeOffset offset => Microseconds(offset.UtcDateTime),
        DateTime { Kind: DateTimeKind.Utc } utc => Microseconds(utc),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTime { Kind: DateTimeKind.Local } local => Microseconds(local.ToUniversalTime()),
        DateTime time => Microseconds(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset offset => Microseconds(offset.UtcDateTime),
        _ => ThrowSerializationError(value),
    };

    /// <summary>The time cut to whole microseconds, as PostgreSQL keeps it.</summary>
    public static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMicrosecond, time.Kind);

    private static DateTime Parse(string text) =>
        WithOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? Microseconds(time.UtcDateTime)
            : throw new FormatException(
                $"'{text}' is not a DateTime: it needs an offset, e.g. 2026-12-01T06:00:00Z or 2026-12-01T08:00:00+02:00.");

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d{1,7})?)?([Zz]|[+-]\d\d:\d\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();
}
