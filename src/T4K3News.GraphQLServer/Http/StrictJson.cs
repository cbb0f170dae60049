using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Reads the JSON clients send (HTTP bodies, query-string parameters, WebSocket messages), refusing at once what is not
/// Unicode text: bytes that are not UTF-8, and escapes of half a surrogate pair (<c>"\ud800"</c>), which System.Text.Json
/// parses but cannot turn into a string later. Checked here, once per message, so no later reader of any member (the
/// endpoint, the variables' deserializer, a resolver) meets a string it cannot read.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding Utf8Strictly = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The document, or null and what is wrong with the text, worded to follow "The body" or "The message".</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> utf8, out string? problem)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            problem = "is not valid UTF-8";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            problem = $"is not valid JSON: {e.Message}";
            return null;
        }

        if (HasUnpairedSurrogateEscape(utf8.Span))
        {
            document.Dispose();
            problem = """holds a string escaping half of a surrogate pair (like "\ud800"), which is not Unicode text""";
            return null;
        }

        problem = null;
        return document;
    }

    /// <summary>The same for JSON that arrived as a string (a query-string parameter).</summary>
    public static JsonDocument? Parse(string text, out string? problem)
    {
        byte[] utf8;
        try
        {
            utf8 = Utf8Strictly.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            problem = "is not Unicode text";
            return null;
        }

        return Parse(utf8, out problem);
    }

    /// <summary>Whether percent-decoding gives UTF-8 (ASP.NET Core leaves a sequence that does not encoded, as text like "%C3(").</summary>
    public static bool IsUtf8WhenPercentDecoded(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
            return true;
        var bytes = Encoding.UTF8.GetBytes(encoded);
        return Utf8.IsValid(System.Net.WebUtility.UrlDecodeToBytes(bytes, 0, bytes.Length));
    }

    /// <summary>Only escaped strings can hide one; unescaped text was checked as UTF-8 already.</summary>
    private static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        return false;
    }
}
