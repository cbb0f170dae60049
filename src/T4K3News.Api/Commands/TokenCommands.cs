using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using T4K3News.Content.Auth;

namespace T4K3News.Api.Commands;

/// <summary>
/// <c>tokens create --name NAME --role editor|admin|reader [--expires 30d|12h]</c>, <c>tokens list</c>,
/// <c>tokens revoke NAME</c>.
/// </summary>
public static class TokenCommands
{
    public static Command Create(WebApplication app)
    {
        Option<string> name = new("--name") { Description = "Who or what the token is for; unique.", Required = true };
        Option<TokenRole> role = new("--role")
        {
            Description = "editor: read drafts, write and publish; "
                + "admin: also delete permanently, read the audit log and manage tokens; "
                + "reader: a front end's delivery token, sees what anonymous readers see, with its own rate budget.",
            HelpName = "editor|admin|reader",
            Required = true,
            CustomParser = ParseRole,
        };
        Option<TimeSpan?> expires = new("--expires")
        {
            Description = "How long the token works, in days or hours; without it, until it is revoked.",
            HelpName = "30d|12h",
            CustomParser = ParseLifetime,
        };
        Command create = new("create", "Creates an API token and prints its secret, the only time it is shown.") { name, role, expires };
        create.SetAction((parsed, cancellationToken) => AppCommands.WithDatabaseAsync(app, () =>
            CreateAsync(Tokens(app), parsed.GetRequiredValue(name), parsed.GetValue(role), parsed.GetValue(expires), cancellationToken), cancellationToken));

        Command list = new("list", "Lists the tokens: names, roles, last use and states; never secrets.");
        list.SetAction((_, cancellationToken) => AppCommands.WithDatabaseAsync(app, () => ListAsync(Tokens(app), cancellationToken), cancellationToken));

        Argument<string> revokedName = new("name") { Description = "The name of the token." };
        Command revoke = new("revoke", "Revokes a token: it stops working at once.") { revokedName };
        revoke.SetAction((parsed, cancellationToken) => AppCommands.WithDatabaseAsync(app, () =>
            RevokeAsync(Tokens(app), parsed.GetRequiredValue(revokedName), cancellationToken), cancellationToken));

        return new Command("tokens", "API tokens for editors and admins.") { create, list, revoke };
    }

    private static ApiTokens Tokens(WebApplication app) => app.Services.GetRequiredService<ApiTokens>();

    private static async Task<int> CreateAsync(ApiTokens tokens, string name, TokenRole role, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        try
        {
            var issued = await tokens.CreateAsync(name, role, lifetime, cancellationToken);
            Console.WriteLine($"Created {role.ToString().ToLowerInvariant()} token '{name}'{(issued.Token.ExpiresAt is { } at ? $", expires {at:u}" : "")}.");
            Console.WriteLine("It is shown only now; keep it somewhere safe:");
            Console.WriteLine(issued.Secret);
            return 0;
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
    }

    private static async Task<int> ListAsync(ApiTokens tokens, CancellationToken cancellationToken)
    {
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
    }

    private static async Task<int> RevokeAsync(ApiTokens tokens, string name, CancellationToken cancellationToken)
    {
        if (!await tokens.RevokeAsync(name, cancellationToken))
            return Fail($"No active token named '{name}'.");
        Console.WriteLine($"Revoked '{name}': it stops working at once.");
        return 0;
    }

    private static TokenRole ParseRole(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        foreach (var role in Enum.GetValues<TokenRole>())
        {
            if (string.Equals(role.ToString(), text, StringComparison.OrdinalIgnoreCase))
                return role;
        }

        result.AddError($"--role is editor, admin or reader, not '{text}'.");
        return default;
    }

    private static TimeSpan? ParseLifetime(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        TimeSpan? lifetime = text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0
            ? text[^1] switch { 'd' => TimeSpan.FromDays(amount), 'h' => TimeSpan.FromHours(amount), _ => null }
            : null;
        if (lifetime is null)
            result.AddError("--expires takes a number of days or hours, e.g. 30d or 12h.");
        return lifetime;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return AppCommands.UsageError;
    }
}
