using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Syndication;

/// <summary>
/// Where the front end shows articles, for the links in feeds, sitemaps, JSON-LD and <c>Article.url</c>. The base URL is
/// a setting, never the request's Host header: feeds and sitemaps are kept in memory and shared by every reader, so a
/// client sending another Host must not be able to put its own links into them.
/// </summary>
public sealed partial class SiteOptions
{
    public const string Section = "Site";

    /// <summary>
    /// The front end's origin (and path prefix), e.g. "https://www.t4k3.news"; the local front end by default, which
    /// Production refuses (see <see cref="Hosting.ProductionSettings"/>).
    /// </summary>
    public string BaseUrl { get; set; } = "http://localhost:3000";

    /// <summary>An article's path under the base URL; "{slug}" stands for its slug.</summary>
    public string ArticlePath { get; set; } = "/articles/{slug}";

    /// <summary>The site's name in feeds and the news sitemap.</summary>
    public string Title { get; set; } = "T4K3.news";

    /// <summary>The site's language (BCP 47), in feeds and the news sitemap.</summary>
    public string Language { get; set; } = "en";

    /// <summary>The absolute URL of the article with this slug.</summary>
    public string ArticleUrl(string slug) => BaseUrl.TrimEnd('/') + ArticlePath.Replace("{slug}", Uri.EscapeDataString(slug), StringComparison.Ordinal);

    /// <summary>An absolute URL on this API's own site, for feeds' self links and sitemap pages.</summary>
    public static string ApiUrl(HttpRequest request, string path) => $"{request.Scheme}://{request.Host}{request.PathBase}{path}";

    /// <summary>What is wrong with these settings, checked at start-up.</summary>
    public static IEnumerable<string> Problems(SiteOptions site)
    {
        if (!Uri.TryCreate(site.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment) || site.BaseUrl.Length > 500)
            yield return $"{Section}:BaseUrl is an absolute http or https URL without query or fragment, at most 500 characters (got '{site.BaseUrl}').";
        if (!site.ArticlePath.StartsWith('/') || site.ArticlePath.Split("{slug}").Length != 2 || site.ArticlePath.Length > 200
            || site.ArticlePath.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' || char.IsControl(c)))
            yield return $"{Section}:ArticlePath starts with '/', holds '{{slug}}' exactly once and no spaces, '?' or '#', at most 200 characters (got '{site.ArticlePath}').";
        if (string.IsNullOrWhiteSpace(site.Title) || site.Title.Length > 200 || site.Title.Any(char.IsControl))
            yield return $"{Section}:Title is a name of 1 to 200 characters.";
        if (!LanguageTag().IsMatch(site.Language))
            yield return $"{Section}:Language is a BCP 47 language tag such as 'en' or 'en-GB' (got '{site.Language}').";
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LanguageTag();
}

internal sealed class SiteOptionsValidation : IValidateOptions<SiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiteOptions options) =>
        SiteOptions.Problems(options).ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
