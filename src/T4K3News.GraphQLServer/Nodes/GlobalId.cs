using System.Text;

namespace T4K3News.GraphQLServer;

/// <summary>Opaque node ids in HotChocolate's style: base64 of "TypeName:key".</summary>
public static class GlobalId
{
    public static string Encode(string typeName, int key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{typeName}:{key}"));

    public static bool TryDecode(string id, out string typeName, out int key)
    {
        typeName = "";
        key = 0;
        var bytes = new byte[id.Length];
        if (!Convert.TryFromBase64String(id, bytes, out var length))
            return false;

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out key))
            return false;

        typeName = text[..colon];
        return true;
    }
}
