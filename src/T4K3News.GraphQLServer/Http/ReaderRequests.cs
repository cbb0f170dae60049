namespace T4K3News.GraphQLServer;

/// <summary>
/// Requests whose credentials (a front end's delivery token, checked by the host) entitle them to exactly what
/// anonymous readers see: they are executed and kept in the response cache as anonymous ones, sharing its answers. An
/// HTTP answer that may be cached says <c>private</c> instead of <c>public</c>: the sender's own cache may keep and
/// revalidate it, while shared caches (CDNs), which would key it by the token, keep no copy of it.
/// </summary>
public static class ReaderRequests
{
    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    public static void MarkReader(this HttpContext http) => http.Features.Set(Marker.Instance);

    public static bool IsMarkedReader(this HttpContext http) => http.Features.Get<Marker>() is not null;
}
