using System.Security.Claims;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Who a WebSocket client is: the host checks the bearer token sent in <c>connection_init</c>, and checks it again
/// before each event, so a token revoked or expired meanwhile closes the socket.
/// </summary>
public interface IGraphQLTokenAuthenticator
{
    /// <summary>The caller the token stands for (its name identifies it for the per-token socket cap), or null when the token is unknown, revoked or expired.</summary>
    Task<ClaimsPrincipal?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
