namespace T4K3News.GraphQLServer;

/// <summary>
/// Requests whose answer is meant for their sender alone, by credentials the host checks besides a bearer token (e.g.
/// a preview link): like an editor's, such an answer is never served from or kept in the response cache, gets no ETag
/// and is sent with <c>Cache-Control: private, no-store</c>.
/// </summary>
public static class PrivateRequests
{
    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    public static void MarkPrivate(this HttpContext http) => http.Features.Set(Marker.Instance);

    public static bool IsMarkedPrivate(this HttpContext http) => http.Features.Get<Marker>() is not null;
}
