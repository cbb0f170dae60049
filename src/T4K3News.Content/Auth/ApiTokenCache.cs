using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace T4K3News.Content.Auth;

public sealed class TokenCacheOptions
{
    public const string Section = "Auth";

    /// <summary>How long a looked-up active token is kept (never past its expiry); zero looks every token up every time.</summary>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Active tokens recently looked up, by the hash of their secret, so that requests and WebSocket re-checks do not query
/// the store every time. A revocation empties it at once: on this instance directly, on every instance through the
/// NOTIFY it sends on <see cref="RevocationChannel"/>. So it is used only while this instance LISTENs on that channel
/// (see <see cref="Listening"/>); with no listener (the command line, a lost connection) every check reads the store.
/// Only active tokens are kept, never unknown secrets, so it holds at most one entry per token that exists.
/// </summary>
public sealed class ApiTokenCache(IOptions<TokenCacheOptions> options)
{
    /// <summary>Carries the name of each revoked token, sent in the revoking transaction.</summary>
    public const string RevocationChannel = "t4k3news_token_revocations";

    private readonly ConcurrentDictionary<string, Entry> entries = new();
    private readonly TimeSpan duration = options.Value.TokenCacheDuration;
    private long generation;
    private volatile bool listening;

    /// <summary>The cached token for this hash, active at <paramref name="now"/>.</summary>
    public bool TryGet(string hash, DateTime now, out Entry entry)
    {
        if (listening && entries.TryGetValue(hash, out entry!))
        {
            if (now < entry.CachedUntil && entry.Token.IsActive(now))
                return true;
            entries.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
        }

        entry = null!;
        return false;
    }

    /// <summary>Read before looking a token up, and handed to <see cref="Store"/> after.</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>Keeps a token just read from the store, unless a revocation arrived while it was being read (it may be that one).</summary>
    public void Store(string hash, ApiToken token, DateTime now, long generationBeforeLookup)
    {
        if (!listening || duration <= TimeSpan.Zero || !token.IsActive(now))
            return;
        var until = token.ExpiresAt is { } expires && expires < now + duration ? expires : now + duration;
        entries[hash] = new Entry(token, until, now);
        // An invalidation between the lookup and now could have missed the entry just written: take it out again.
        if (Generation != generationBeforeLookup)
            entries.TryRemove(hash, out _);
    }

    /// <summary>Forgets a revoked token (the NOTIFY payload is its name).</summary>
    public void Forget(string tokenName)
    {
        Interlocked.Increment(ref generation);
        foreach (var (hash, entry) in entries)
        {
            if (entry.Token.Name == tokenName)
                entries.TryRemove(hash, out _);
        }
    }

    /// <summary>The listener listens for revocations (again): what was cached before may have missed one.</summary>
    public void Listening()
    {
        Clear();
        listening = true;
    }

    /// <summary>The listener lost its connection: revocations may go unheard, so nothing is cached until it listens again.</summary>
    public void NotListening()
    {
        listening = false;
        Clear();
    }

    private void Clear()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    /// <summary>A cached token (shared: read only) and when its last use was last recorded.</summary>
    public sealed class Entry(ApiToken token, DateTime cachedUntil, DateTime lastUseRecorded)
    {
        private long lastUseRecordedTicks = (token.LastUsedAt ?? lastUseRecorded).Ticks;

        public ApiToken Token { get; } = token;

        public DateTime CachedUntil { get; } = cachedUntil;

        /// <summary>True for one caller once the last recorded use is older than <paramref name="resolution"/>: that caller records it.</summary>
        public bool ClaimUseRecording(DateTime now, TimeSpan resolution)
        {
            var recorded = Interlocked.Read(ref lastUseRecordedTicks);
            return now.Ticks - recorded > resolution.Ticks && Interlocked.CompareExchange(ref lastUseRecordedTicks, now.Ticks, recorded) == recorded;
        }
    }
}
