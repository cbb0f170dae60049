using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api.Subscriptions;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Auth;

/// <summary>Tokens kept for ten minutes, so that only a revocation or an expiry can be what stops one.</summary>
public sealed class LongTokenCacheApi : ContentApi
{
    public static readonly Dictionary<string, string?> LongCache = new() { ["Auth:TokenCacheDuration"] = "00:10:00" };

    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => LongCache;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Services.GetRequiredService<ArticleChangeFeed>().Listening;
    }
}

public sealed class TokenCacheTests(LongTokenCacheApi api) : IClassFixture<LongTokenCacheApi>
{
    private const string AdminsOnly = "{ apiTokens { name } }";

    [Fact]
    public async Task A_token_is_looked_up_once_and_then_checked_from_the_cache_over_HTTP_and_the_WebSocket()
    {
        var secret = await api.CreateTokenAsync(TokenRole.Editor);
        var editor = api.CreateGraphQLClient(secret);
        await editor.QueryAsync("{ __typename }");

        api.Statements.Reset();
        for (var i = 0; i < 5; i++)
            await editor.QueryAsync("{ __typename }");
        await using (var socket = await GraphQLWebSocketClient.ConnectAsEditorAsync(api, secret))
        {
            await socket.SubscribeAsync("1", "{ __typename }");
            Assert.Equal("next", (await socket.ReceiveAsync())?["type"].Text());
        }

        Assert.Equal(0, api.Statements.Count);
    }

    [Fact]
    public async Task A_cached_token_still_stops_at_its_expiry()
    {
        var client = await api.CreateClientWithRoleAsync(TokenRole.Admin, lifetime: TimeSpan.FromMinutes(2));
        var beforeExpiry = await client.PostAsync(AdminsOnly);

        api.Clock.Advance(TimeSpan.FromMinutes(3));
        var afterExpiry = await client.PostAsync(AdminsOnly);
        api.Clock.Advance(TimeSpan.FromMinutes(-3));

        Assert.Null(beforeExpiry.Errors);
        Assert.Equal("AUTH_TOKEN_INVALID", afterExpiry.FirstErrorCode);
    }

    [Fact]
    public async Task A_token_revoked_through_one_instance_is_refused_by_another_that_had_it_cached()
    {
        await using var other = new AnotherInstance(api, LongTokenCacheApi.LongCache);
        await other.InitializeAsync();
        await other.Services.GetRequiredService<ArticleChangeFeed>().Listening;
        var admin = await api.CreateClientWithRoleAsync(TokenRole.Admin);
        var leaving = await api.Services.GetRequiredService<ApiTokens>().CreateAsync("leaving-admin", TokenRole.Admin, lifetime: null, default);
        var onOther = other.CreateGraphQLClient(leaving.Secret);
        await onOther.QueryAsync(AdminsOnly);
        other.Statements.Reset();
        await onOther.QueryAsync("{ __typename }");
        var lookupsWhileCached = other.Statements.Count;

        var revoked = await admin.QueryAsync("""mutation { revokeApiToken(input: { name: "leaving-admin" }) { name } }""");
        var refused = await onOther.PostAsync(AdminsOnly);
        for (var waited = 0; refused.FirstErrorCode != "AUTH_TOKEN_INVALID" && waited < 50; waited++)
        {
            // The NOTIFY travels from the database to the other instance's listener: milliseconds, not the ten minutes of the cache.
            await Task.Delay(100);
            refused = await onOther.PostAsync(AdminsOnly);
        }

        Assert.Equal(0, lookupsWhileCached);
        Assert.Equal("leaving-admin", revoked["revokeApiToken"]!["name"].Text());
        Assert.Equal("AUTH_TOKEN_INVALID", refused.FirstErrorCode);
    }

    [Fact]
    public async Task A_token_revoked_on_this_instance_is_refused_by_the_very_next_request()
    {
        var tokens = api.Services.GetRequiredService<ApiTokens>();
        var issued = await tokens.CreateAsync("revoked-here", TokenRole.Admin, lifetime: null, default);
        var client = api.CreateGraphQLClient(issued.Secret);
        await client.QueryAsync(AdminsOnly);

        await tokens.RevokeAsync("revoked-here", default);
        var afterRevocation = await client.PostAsync(AdminsOnly);

        Assert.Equal("AUTH_TOKEN_INVALID", afterRevocation.FirstErrorCode);
    }
}
