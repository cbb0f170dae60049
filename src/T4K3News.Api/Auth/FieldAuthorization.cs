using GraphQL;

namespace T4K3News.Api.Auth;

public static class FieldAuthorization
{
    public const string NotAuthenticated = "AUTH_NOT_AUTHENTICATED";
    public const string NotAuthorized = "AUTH_NOT_AUTHORIZED";
    public const string TokenInvalid = "AUTH_TOKEN_INVALID";

    /// <summary>The name of the caller's token when it has <paramref name="role"/>; otherwise the field fails with an auth code.</summary>
    public static string RequireRole(this IResolveFieldContext context, string role)
    {
        var user = context.User;
        if (user?.HasClaim(c => c.Type == BearerTokenAuthentication.InvalidTokenClaim) == true)
            throw new ExecutionError("The API token is unknown, revoked or expired: ask an admin for a new one.") { Code = TokenInvalid };
        if (user?.Identity?.IsAuthenticated != true)
            throw new ExecutionError("Sign in: send an editor's API token as 'Authorization: Bearer <token>'.") { Code = NotAuthenticated };
        if (!user.IsInRole(role))
            throw new ExecutionError($"This needs the '{role}' role; your token does not have it.") { Code = NotAuthorized };
        return user.Identity.Name!;
    }
}
