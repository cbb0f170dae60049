using GraphQL;
using GraphQL.Types;
using T4K3News.Api.Editing;
using T4K3News.GraphQLServer;
using T4K3News.Content.Auth;
using T4K3News.Content.Editing;

namespace T4K3News.Api.Auth;

/// <summary>Token management for admins over GraphQL; the same as the `tokens` command.</summary>
public static class TokenMutations
{
    public static void RegisterQueries(ObjectGraphType query) =>
        query.Field<ListGraphType<NonNullGraphType<ApiTokenType>>>("apiTokens")
            .Description("Every API token by name, without secrets (admins only).")
            .ResolveAsync(async context =>
            {
                context.RequireRole(Roles.Admin);
                return await context.RequestServices!.GetRequiredService<ApiTokens>().ListAsync(context.CancellationToken);
            });

    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreateApiTokenPayloadType>("createApiToken")
            .Description("Issues a token; its secret is in the payload, shown only this once (admins only).")
            .Argument<NonNullGraphType<CreateApiTokenInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreateApiTokenInput>("input");
                return await context.RunAsync(Roles.Admin, input.Name, async _ =>
                {
                    if (input.ExpiresInDays is <= 0)
                        return EditResult<IssuedToken>.Failure(new ValidationError("expiresInDays", "A token lives at least one day."));
                    try
                    {
                        var lifetime = input.ExpiresInDays is { } days ? TimeSpan.FromDays(days) : (TimeSpan?)null;
                        return EditResult<IssuedToken>.Success(await context.RequestServices!.GetRequiredService<ApiTokens>()
                            .CreateAsync(input.Name, input.Role, lifetime, context.CancellationToken));
                    }
                    catch (ArgumentException e)
                    {
                        return EditResult<IssuedToken>.Failure(new ValidationError("name", e.Message));
                    }
                });
            });

        mutation.Field<RevokeApiTokenPayloadType>("revokeApiToken")
            .Description("Revokes a token by name; it stops working at once (admins only).")
            .Argument<NonNullGraphType<RevokeApiTokenInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RevokeApiTokenInput>("input");
                return await context.RunAsync(Roles.Admin, input.Name, async _ =>
                    await context.RequestServices!.GetRequiredService<ApiTokens>().RevokeAsync(input.Name, context.CancellationToken)
                        ? EditResult<string>.Success(input.Name)
                        : EditResult<string>.Failure(new NotFoundError(input.Name, $"No active token is named '{input.Name}'.")));
            });
    }
}

public sealed record CreateApiTokenInput
{
    public string Name { get; init; } = "";
    public TokenRole Role { get; init; }
    public int? ExpiresInDays { get; init; }
}

public sealed record RevokeApiTokenInput
{
    public string Name { get; init; } = "";
}

public sealed class ApiTokenType : AutoRegisteringObjectGraphType<ApiToken>
{
    public ApiTokenType() : base(t => t.Id, t => t.SecretHash)
    {
        Name = "ApiToken";
        Description = "An API token as stored: never its secret.";
    }
}

public sealed class CreateApiTokenInputType : InputObjectGraphType<CreateApiTokenInput>
{
    public CreateApiTokenInputType()
    {
        Name = "CreateApiTokenInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<EnumerationGraphType<TokenRole>>>("role");
        Field<IntGraphType>("expiresInDays").Description("Omitted: the token does not expire.");
    }
}

public sealed class RevokeApiTokenInputType : InputObjectGraphType<RevokeApiTokenInput>
{
    public RevokeApiTokenInputType()
    {
        Name = "RevokeApiTokenInput";
        Field<NonNullGraphType<StringGraphType>>("name");
    }
}

public sealed class CreateApiTokenErrorType() : ErrorUnionType("CreateApiTokenError", typeof(ValidationErrorType));

public sealed class RevokeApiTokenErrorType() : ErrorUnionType("RevokeApiTokenError", typeof(NotFoundErrorType));

public sealed class CreateApiTokenPayloadType : ObjectGraphType<MutationPayload<IssuedToken>>
{
    public CreateApiTokenPayloadType()
    {
        Name = "CreateApiTokenPayload";
        Field<ApiTokenType>("apiToken").Resolve(c => c.Source.Value?.Token);
        Field<StringGraphType>("secret").Description("Send it as 'Authorization: Bearer <secret>'. It cannot be shown again.").Resolve(c => c.Source.Value?.Secret);
        Field<ListGraphType<NonNullGraphType<CreateApiTokenErrorType>>>("errors").Resolve(c => c.Source.Errors);
    }
}

public sealed class RevokeApiTokenPayloadType : ObjectGraphType<MutationPayload<string>>
{
    public RevokeApiTokenPayloadType()
    {
        Name = "RevokeApiTokenPayload";
        Field<StringGraphType>("name").Resolve(c => c.Source.Value);
        Field<ListGraphType<NonNullGraphType<RevokeApiTokenErrorType>>>("errors").Resolve(c => c.Source.Errors);
    }
}
