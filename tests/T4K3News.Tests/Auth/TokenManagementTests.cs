using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Auth;

public sealed class TokenManagementTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private const string CreateToken = """
        mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret apiToken { name role expiresAt } errors { __typename ... on ValidationError { path message } } } }
        """;

    private const string RevokeToken = """
        mutation ($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { name errors { __typename ... on NotFoundError { message } } } }
        """;

    [Fact]
    public async Task An_admin_issues_lists_and_revokes_tokens_over_GraphQL()
    {
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);

        var created = (await admin.QueryAsync(CreateToken, new { input = new { name = "web-preview", role = "EDITOR", expiresInDays = 7 } }))["createApiToken"]!;
        var secret = created["secret"].Text()!;
        var listed = await admin.QueryAsync("{ apiTokens { name role revokedAt } }");
        var works = await api.CreateGraphQLClient(secret).QueryAsync("""{ articles(where: { status: { eq: DRAFT } }) { totalCount } }""");
        var revoked = await admin.QueryAsync(RevokeToken, new { input = new { name = "web-preview" } });
        var revokedAgain = await admin.QueryAsync(RevokeToken, new { input = new { name = "web-preview" } });
        var duplicate = await admin.QueryAsync(CreateToken, new { input = new { name = "web-preview", role = "EDITOR" } });

        Assert.StartsWith("t4k_", secret);
        Assert.Equal("EDITOR", created["apiToken"]!["role"].Text());
        Assert.Contains("web-preview", listed["apiTokens"].Texts("name"));
        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.Equal(0, works["articles"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("web-preview", revoked["revokeApiToken"]!["name"].Text());
        Assert.Equal("NotFoundError", revokedAgain["revokeApiToken"]!["errors"]![0]!["__typename"].Text());
        Assert.Equal("name", duplicate["createApiToken"]!["errors"]![0]!["path"].Text());
    }

    [Fact]
    public async Task A_tokens_last_use_is_recorded_at_most_once_a_minute_for_admins_to_spot_stale_tokens()
    {
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);
        var secret = (await admin.QueryAsync(CreateToken, new { input = new { name = "kiosk", role = "EDITOR" } }))["createApiToken"]!["secret"].Text()!;
        var kiosk = api.CreateGraphQLClient(secret);

        var neverUsed = await LastUsedAsync(admin, "kiosk");
        await kiosk.QueryAsync("{ articles { totalCount } }");
        var firstUse = await LastUsedAsync(admin, "kiosk");
        api.Clock.Advance(TimeSpan.FromSeconds(30));
        await kiosk.QueryAsync("{ articles { totalCount } }");
        var halfAMinuteLater = await LastUsedAsync(admin, "kiosk");
        api.Clock.Advance(TimeSpan.FromSeconds(45));
        await kiosk.QueryAsync("{ articles { totalCount } }");
        var overAMinuteLater = await LastUsedAsync(admin, "kiosk");

        Assert.Null(neverUsed);
        Assert.NotNull(firstUse);
        Assert.Equal(firstUse, halfAMinuteLater);
        Assert.True(overAMinuteLater > firstUse);
    }

    private static async Task<DateTime?> LastUsedAsync(GraphQLClient admin, string name)
    {
        var tokens = (await admin.QueryAsync("{ apiTokens { name lastUsedAt } }"))["apiTokens"]!.AsArray();
        return tokens.Single(t => t!["name"].Text() == name)!["lastUsedAt"]?.GetValue<DateTime>();
    }

    [Fact]
    public async Task Editors_cannot_manage_tokens()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var create = await editor.PostAsync(CreateToken, new { input = new { name = "sneaky", role = "ADMIN" } });
        var list = await editor.PostAsync("{ apiTokens { name } }");

        Assert.Equal("AUTH_NOT_AUTHORIZED", create.FirstErrorCode);
        Assert.Equal("AUTH_NOT_AUTHORIZED", list.FirstErrorCode);
    }
}
