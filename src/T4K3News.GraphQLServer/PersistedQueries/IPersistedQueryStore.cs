using System.Security.Cryptography;
using System.Text;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Where documents known by their SHA-256 hash live (Apollo's automatic persisted queries and the allow-list). The host
/// provides it, so that every server instance can share one store.
/// </summary>
public interface IPersistedQueryStore
{
    /// <summary>The document with this hash; with <paramref name="registeredOnly"/> (allow-list mode), only a registered one.</summary>
    Task<string?> FindAsync(string hash, bool registeredOnly, CancellationToken cancellationToken);

    /// <summary>Keeps a document a client sent with its hash, once it has parsed and validated.</summary>
    Task RememberAsync(string document, CancellationToken cancellationToken);
}

public static class PersistedQueryHash
{
    /// <summary>The lowercase hex SHA-256 of the document's UTF-8 bytes, as Apollo's clients compute it.</summary>
    public static string Of(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
}
