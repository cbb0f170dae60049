using System.Globalization;
using T4K3News.Content.Auth;

namespace T4K3News.Api.Hosting;

/// <summary>`tokens create --name NAME --role editor|admin [--expires 30d]`, `tokens list`, `tokens revoke NAME`.</summary>
public static class TokenCommands
{
    public const string Usage = "tokens create --name NAME --role editor|admin [--expires 30d|12h] | tokens list | tokens revoke NAME";

    public static async Task<int> RunAsync(ApiTokens tokens, string[] args, CancellationToken cancellationToken)
    {
        switch (args)
        {
            case ["create", .. var options]:
                var name = Option(options, "--name");
                var role = Option(options, "--role");
                var expires = Option(options, "--expires");
                if (name is null || !Enum.TryParse<TokenRole>(role, ignoreCase: true, out var tokenRole))
                    return Fail($"Usage: {Usage}");
                TimeSpan? lifetime = null;
                if (expires is not null)
                {
                    if (ParseLifetime(expires) is not { } parsed)
                        return Fail("--expires takes a number of days or hours, e.g. 30d or 12h.");
                    lifetime = parsed;
                }

                try
                {
                    var issued = await tokens.CreateAsync(name, tokenRole, lifetime, cancellationToken);
                    Console.WriteLine($"Created {tokenRole.ToString().ToLowerInvariant()} token '{name}'{(issued.Token.ExpiresAt is { } at ? $", expires {at:u}" : "")}.");
                    Console.WriteLine("It is shown only now; keep it somewhere safe:");
                    Console.WriteLine(issued.Secret);
                    return 0;
                }
                catch (ArgumentException e)
                {
                    return Fail(e.Message);
                }

            case ["list"]:
                var now = DateTime.UtcNow;
                foreach (var token in await tokens.ListAsync(cancellationToken))
                {
                    var state = token.RevokedAt is not null ? $"revoked {token.RevokedAt:u}"
                        : token.ExpiresAt <= now ? $"expired {token.ExpiresAt:u}"
                        : token.ExpiresAt is { } at ? $"active until {at:u}" : "active";
                    var lastUsed = token.LastUsedAt is { } used ? $"last used {used:u}" : "never used";
                    Console.WriteLine($"{token.Name,-24} {token.Role.ToString().ToLowerInvariant(),-7} created {token.CreatedAt:u}  {lastUsed,-30} {state}");
                }

                return 0;

            case ["revoke", var tokenName]:
                if (await tokens.RevokeAsync(tokenName, cancellationToken))
                {
                    Console.WriteLine($"Revoked '{tokenName}': it stops working at once.");
                    return 0;
                }

                return Fail($"No active token named '{tokenName}'.");

            default:
                return Fail($"Usage: {Usage}");
        }
    }

    private static string? Option(string[] options, string name)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    private static TimeSpan? ParseLifetime(string text) =>
        text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0
            ? text[^1] switch { 'd' => TimeSpan.FromDays(amount), 'h' => TimeSpan.FromHours(amount), _ => null }
            : null;

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 64;
    }
}
