using System.Security.Cryptography;

namespace T4K3News.Api.Syndication;

/// <summary>A feed or sitemap as sent: its bytes, content type, ETag and Last-Modified; or a permanent redirect to <c>Location</c>.</summary>
public sealed record SyndicationDocument(int Status, byte[] Body, string ContentType, string ETag, DateTimeOffset LastModified, string? Location = null)
{
    public static string ETagOf(byte[] body) => $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
}

/// <summary>
/// Feeds and sitemaps, generated once and kept until the change feed hears of anything that could change them: any
/// article change (a draft's too: it may have just been published), any tag change, and the first scheduled
/// publication or end of the news sitemap's window after they were made (each document says until when it holds).
/// Like the response cache it keeps nothing while the change feed does not listen, and a document computed while a
/// change arrived is not kept. Bounded: past <see cref="SyndicationLimits.CacheMaxBytes"/> it starts again from nothing.
/// Last-Modified survives a change that leaves a document's bytes as they were, so If-Modified-Since keeps answering 304.
/// </summary>
public sealed class SyndicationCache(TimeProvider clock, Microsoft.Extensions.Options.IOptions<SyndicationLimits> limits)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (SyndicationDocument Document, DateTime ValidUntil)> documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ETag, DateTimeOffset LastModified)> lastSeen = new(StringComparer.Ordinal);
    private long bytes;
    private long generation;
    private bool listening;

    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string key, out SyndicationDocument document)
    {
        document = null!;
        var now = clock.GetUtcNow().UtcDateTime;
        lock (gate)
        {
            if (!listening || !documents.TryGetValue(key, out var kept))
                return false;
            if (now >= kept.ValidUntil || now < kept.Document.LastModified.UtcDateTime.AddSeconds(-1))
            {
                // Something came due (or the clock went back): made again on this request.
                Remove(key);
                return false;
            }

            document = kept.Document;
            return true;
        }
    }

    /// <summary>
    /// A newly made document with its Last-Modified (kept from the last one with the same bytes, else now), kept until
    /// <paramref name="validUntil"/> unless something changed since <paramref name="generationBefore"/>.
    /// </summary>
    public SyndicationDocument Store(string key, int status, byte[] body, string contentType, DateTime validUntil, long generationBefore, string? location = null)
    {
        var etag = SyndicationDocument.ETagOf(body);
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        lock (gate)
        {
            var lastModified = lastSeen.TryGetValue(key, out var seen) && seen.ETag == etag && seen.LastModified <= now ? seen.LastModified : now;
            var document = new SyndicationDocument(status, body, contentType, etag, lastModified, location);
            if (!listening || Interlocked.Read(ref generation) != generationBefore)
                return document;
            if (bytes + body.Length > limits.Value.CacheMaxBytes)
                Clear(forgetLastSeen: true);
            Remove(key);
            documents[key] = (document, validUntil);
            lastSeen[key] = (etag, lastModified);
            bytes += body.Length;
            return document;
        }
    }

    /// <summary>Anything may have changed: every document is made again when next asked for.</summary>
    public void Changed()
    {
        lock (gate)
            Clear(forgetLastSeen: false);
    }

    /// <summary>The change feed listens (again): what changed meanwhile went unheard, so start from nothing.</summary>
    public void Listening()
    {
        lock (gate)
        {
            Clear(forgetLastSeen: false);
            listening = true;
        }
    }

    /// <summary>The change feed lost its connection: keep and serve nothing until it listens again.</summary>
    public void NotListening()
    {
        lock (gate)
        {
            listening = false;
            Clear(forgetLastSeen: false);
        }
    }

    private void Remove(string key)
    {
        if (documents.Remove(key, out var removed))
            bytes -= removed.Document.Body.Length;
    }

    private void Clear(bool forgetLastSeen)
    {
        Interlocked.Increment(ref generation);
        documents.Clear();
        bytes = 0;
        if (forgetLastSeen || lastSeen.Count > limits.Value.MaxDocuments)
            lastSeen.Clear();
    }
}

/// <summary>The bounds of feeds and sitemaps; not settings, but a test may lower them to see a sitemap index with a few articles.</summary>
public sealed class SyndicationLimits
{
    /// <summary>Articles in a feed.</summary>
    public int FeedItems { get; set; } = 50;

    /// <summary>URLs in one sitemap (the protocol's maximum); past it /sitemap.xml is an index of pages.</summary>
    public int SitemapPageSize { get; set; } = 50_000;

    /// <summary>URLs in the news sitemap (Google News reads at most 1,000).</summary>
    public int NewsSitemapItems { get; set; } = 1_000;

    /// <summary>How far back the news sitemap reaches.</summary>
    public TimeSpan NewsWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The most bytes of documents kept in memory.</summary>
    public long CacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most documents whose Last-Modified is remembered across changes.</summary>
    public int MaxDocuments { get; set; } = 10_000;
}
