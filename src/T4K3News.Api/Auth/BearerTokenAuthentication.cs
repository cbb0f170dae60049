using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using T4K3News.Content.Auth;

namespace T4K3News.Api.Auth;

/// <summary>
/// `Authorization: Bearer &lt;token&gt;` against the token store. A request without a token is anonymous; one with an
/// unknown, revoked or expired token is anonymous too, and mutations then answer AUTH_NOT_AUTHENTICATED.
/// </summary>
public sealed class BearerTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Send the token as 'Authorization: Bearer <token>'.");

        var token = await tokens.FindActiveAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null)
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");

        return AuthenticateResult.Success(new AuthenticationTicket(PrincipalFor(token), SchemeName));
    }

    /// <summary>The token's name and its roles (an admin is also an editor).</summary>
    public static ClaimsPrincipal PrincipalFor(ApiToken token)
    {
        var roles = token.Role == TokenRole.Admin ? new[] { Roles.Editor, Roles.Admin } : [Roles.Editor];
        return new ClaimsPrincipal(new ClaimsIdentity(
            roles.Select(role => new Claim(ClaimTypes.Role, role)).Prepend(new Claim(ClaimTypes.Name, token.Name)), SchemeName));
    }
}

public static class Roles
{
    public const string Editor = "editor";
    public const string Admin = "admin";
}
