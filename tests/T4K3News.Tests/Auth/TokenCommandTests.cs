using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Auth;

public sealed class TokenCommandTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private const string Draft = """mutation { createArticle(input: { title: "From the command line", standfirst: "S.", body: "B." }) { article { status } } }""";

    [Fact]
    public async Task A_token_created_on_the_command_line_is_shown_once_works_and_stops_working_when_revoked()
    {
        var (created, createOutput) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "create", "--name", "night-desk", "--role", "editor", "--expires", "30d");
        var secret = createOutput.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("t4k_"));
        var (_, listOutput) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "list");
        var before = await api.CreateGraphQLClient(secret).PostAsync(Draft);
        var (revoked, _) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "revoke", "night-desk");
        var after = await api.CreateGraphQLClient(secret).PostAsync(Draft);

        Assert.Equal(0, created);
        Assert.True(secret.Length >= 4 + 43, "32 random bytes, base64url");
        Assert.Contains("night-desk", listOutput);
        Assert.Contains("active until", listOutput);
        Assert.Contains("never used", listOutput);
        Assert.DoesNotContain(secret, listOutput);
        Assert.Equal("DRAFT", before.Data!["createArticle"]!["article"]!["status"].Text());
        Assert.Equal(0, revoked);
        Assert.Equal("AUTH_TOKEN_INVALID", after.FirstErrorCode);
    }

    [Fact]
    public async Task A_refused_token_command_says_why_in_plain_words()
    {
        var (first, _) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "create", "--name", "twice", "--role", "editor");
        var (second, output) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "create", "--name", "twice", "--role", "editor");

        Assert.Equal((0, 64), (first, second));
        Assert.Equal("A token named 'twice' exists already; revoke it or choose another name.", output.Trim());
    }

    [Fact]
    public async Task A_malformed_token_command_explains_its_usage()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(api.ConnectionString, "tokens", "create", "--name", "x", "--role", "superuser");

        Assert.Equal(64, exitCode);
        Assert.Contains("Usage:", output);
    }
}
