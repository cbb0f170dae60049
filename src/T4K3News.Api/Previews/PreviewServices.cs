using T4K3News.Content.Previews;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Previews;

public static class PreviewServices
{
    /// <summary>Draft preview links (settings "Previews"): their store, the X-Preview-Token check and their global ids.</summary>
    public static IServiceCollection AddPreviews(this IServiceCollection services)
    {
        // {baseUrl} is the site's address (Site:BaseUrl): one setting for every link the server writes.
        services.AddOptions<PreviewOptions>().BindConfiguration(PreviewOptions.Section)
            .PostConfigure<Microsoft.Extensions.Options.IOptions<Syndication.SiteOptions>>((o, site) => o.BaseUrl = site.Value.BaseUrl)
            .Validate(o => o.MaxHours >= 1 && o.DefaultHours >= 1 && o.DefaultHours <= o.MaxHours && o.MaxLinksPerArticle >= 1,
                "Previews: MaxHours, DefaultHours (at most MaxHours) and MaxLinksPerArticle are at least 1.")
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _) && o.UrlTemplate.Contains("{token}", StringComparison.Ordinal),
                "Previews: Site:BaseUrl is an absolute URL and Previews:UrlTemplate contains {token}.")
            .ValidateOnStart();
        return services
            .AddTransient<PreviewLinks>()
            .AddTransient<PreviewTokenAuthentication>()
            .AddNode(PreviewLinkType.TypeName, (context, key) => new UnbatchedResult<object?>(PreviewMutations.LoadAsync(context, key)));
    }
}
