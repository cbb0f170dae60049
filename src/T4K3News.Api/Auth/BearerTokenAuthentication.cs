using System.Security.Claims;
using T4K3News.Content.Auth;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Auth;

/// <summary>
/// `Authorization: Bearer &lt;token&gt;` against the token store. A request without a token is anonymous; one with an
/// unknown, revoked or expired token is anonymous too, and mutations then answer AUTH_NOT_AUTHENTICATED. It runs for
/// the GraphQL endpoint only, between its rate limits (see <see cref="Hosting.EndpointProtection"/>), so that made-up
/// tokens are refused before they are looked up, and no other path looks one up at all.
/// </summary>
public sealed class BearerTokenAuthentication(ApiTokens tokens) : IGraphQLTokenAuthenticator
{
    public const string SchemeName = "Bearer";

    /// <summary>Makes the request's user the token's, when it carries an active one.</summary>
    public async Task AuthenticateAsync(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return;
        if (await tokens.FindActiveAsync(header["Bearer ".Length..].Trim(), http.RequestAborted) is not { } token)
            return;
        http.User = PrincipalFor(token);
        if (token.Role == TokenRole.Reader)
            http.MarkReader();
    }

    /// <summary>The WebSocket transport's check of the token sent in connection_init, and again before each event.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        await tokens.FindActiveAsync(token, cancellationToken) is { } found ? PrincipalFor(found) : null;

    /// <summary>
    /// The token's name and its roles (an admin is also an editor). A reader's token gives an identity that is not
    /// authenticated: it names the token for its rate budget, while everything else treats the caller as anonymous.
    /// </summary>
    public static ClaimsPrincipal PrincipalFor(ApiToken token)
    {
        if (token.Role == TokenRole.Reader)
            return new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, token.Name), new Claim(ClaimTypes.Role, Roles.Reader)]));
        var roles = token.Role == TokenRole.Admin ? new[] { Roles.Editor, Roles.Admin } : [Roles.Editor];
        return new ClaimsPrincipal(new ClaimsIdentity(
            roles.Select(role => new Claim(ClaimTypes.Role, role)).Prepend(new Claim(ClaimTypes.Name, token.Name)), SchemeName));
    }
}

public static class Roles
{
    public const string Editor = "editor";
    public const string Admin = "admin";

    /// <summary>A delivery token's: no more than anonymous readers may; it names the token for rate limiting.</summary>
    public const string Reader = "reader";
}

public static class AuthServices
{
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services) => services
        .AddHttpContextAccessor()
        .AddSingleton<BearerTokenAuthentication>()
        .AddSingleton<IGraphQLTokenAuthenticator>(provider => provider.GetRequiredService<BearerTokenAuthentication>());
}
