using System.Net;
using System.Net.Sockets;

namespace T4K3News.Api.Webhooks;

/// <summary>
/// Keeps webhooks off the server's own networks (SSRF): loopback, link-local, private (RFC 1918, fc00::/7), shared
/// (100.64.0.0/10), unspecified (0.0.0.0/8, ::), multicast and reserved addresses, also when an IPv6 address embeds
/// such an IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16); the
/// local-use NAT64 prefix 64:ff9b:1::/48 and Teredo 2001::/32 lead into networks of their own and are refused whole.
/// Checked when a webhook is saved and again on every connection (a name may resolve elsewhere later), unless
/// <c>Webhooks:AllowPrivateNetworks</c> is on.
/// </summary>
public static class WebhookAddresses
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address))
            return true;
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] & 0xFE) == 18);
        if (address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC
            || Starts(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01) // local-use NAT64: the operator's own translators
            || address.IsIPv6Teredo)                       // a tunnel through a relay to an obfuscated IPv4 address
            return true;
        return EmbeddedIPv4(b) is { } embedded && IsPrivate(embedded);
    }

    /// <summary>The IPv4 address an IPv6 address stands for, when it is one of the forms that embed one.</summary>
    private static IPAddress? EmbeddedIPv4(byte[] b)
    {
        // ::a.b.c.d (IPv4-compatible), ::ffff:0:a.b.c.d (IPv4-translated), 64:ff9b::a.b.c.d (NAT64, well-known prefix).
        if (b.Take(12).All(x => x == 0)
            || (b.Take(8).All(x => x == 0) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
            || (Starts(b, 0x00, 0x64, 0xff, 0x9b) && b.Skip(4).Take(8).All(x => x == 0)))
            return new IPAddress(b[12..]);
        // 2002:a.b.c.d::/48 (6to4): packets go to the relay serving that IPv4 address.
        if (Starts(b, 0x20, 0x02))
            return new IPAddress(b[2..6]);
        return null;
    }

    private static bool Starts(byte[] bytes, params byte[] prefix) => bytes.AsSpan().StartsWith(prefix);

    /// <summary>Why <paramref name="url"/> cannot be a webhook's address, or null when it can.</summary>
    public static async Task<string?> ProblemAsync(string url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            return "An absolute http or https URL.";
        if (allowPrivateNetworks)
            return null;
        try
        {
            var addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
            if (addresses.Length == 0)
                return $"The host '{uri.Host}' does not resolve.";
            return addresses.Any(IsPrivate) ? $"The host '{uri.Host}' is on a loopback, link-local or private network; webhooks must reach public addresses." : null;
        }
        catch (Exception e) when (e is SocketException or ArgumentException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
    }

    /// <summary>
    /// Connects to the first allowed address of the request's host: the address checked is the one connected to,
    /// so a name cannot pass the check and then resolve to a private address.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = allowPrivateNetworks ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException(addresses.Length == 0
                ? $"The host '{context.DnsEndPoint.Host}' does not resolve."
                : $"Refused: '{context.DnsEndPoint.Host}' resolves to a loopback, link-local or private address.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
            return [literal];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        return await Dns.GetHostAddressesAsync(host, timeout.Token);
    }
}
