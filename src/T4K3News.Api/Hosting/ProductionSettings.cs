namespace T4K3News.Api.Hosting;

/// <summary>
/// Settings a public site cannot do without. Their defaults suit a developer's machine, so in Production the server
/// does not start while one is missing rather than publish the default: <c>Site:BaseUrl</c> would put
/// <c>http://localhost:3000</c> links into feeds, sitemaps and JSON-LD that search engines keep.
/// </summary>
public static class ProductionSettings
{
    /// <summary>sysexits' EX_CONFIG, which service managers and scripts know a configuration error by.</summary>
    public const int ConfigurationError = 78;

    /// <summary>Each required setting, with what happens without it and an example value.</summary>
    private static readonly (string Key, string Why, string Example)[] Required =
    [
        ("Site:BaseUrl", "Article.url, JSON-LD, feeds, sitemaps and preview links would point at http://localhost:3000",
            "https://www.example.com"),
    ];

    /// <summary>The missing settings, each as a message naming it; none outside Production.</summary>
    public static IEnumerable<string> Missing(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsProduction()
            ? Required.Where(setting => string.IsNullOrWhiteSpace(configuration[setting.Key])).Select(setting =>
                $"{setting.Key} is not set. In Production the server does not start without it: {setting.Why}. "
                + $"Set it, e.g. {setting.Key.Replace(":", "__", StringComparison.Ordinal)}={setting.Example}.")
            : [];

    /// <summary>Prints what is missing; false when the server must not start.</summary>
    public static bool Check(WebApplication app)
    {
        var missing = Missing(app.Environment, app.Configuration).ToList();
        foreach (var message in missing)
            Console.Error.WriteLine(message);
        return missing.Count == 0;
    }
}
