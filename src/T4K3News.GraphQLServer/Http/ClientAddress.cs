using System.Net;
using System.Net.Sockets;

namespace T4K3News.GraphQLServer.Http;

/// <summary>
/// Who a client is, for every limit counted per address. An IPv6 client is usually given a whole /64 and can
/// rotate through it at will, so its /64 is what counts; an IPv4 address written as IPv6 (<c>::ffff:a.b.c.d</c>) is
/// that IPv4 address.
/// </summary>
public static class ClientAddress
{
    /// <summary>The key a client's limits are counted under: an IPv4 address, or an IPv6 /64 ("2001:db8::/64").</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
            return "";
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
