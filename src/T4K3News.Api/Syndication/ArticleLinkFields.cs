using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using T4K3News.Api.Articles;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Syndication;

/// <summary>The article's fields for the front end's page head: its URL on the site and its JSON-LD.</summary>
public static class ArticleLinkFields
{
    public static void Register(ObjectGraphType<Article> article)
    {
        article.Field<NonNullGraphType<StringGraphType>>("url")
            .Description("The article's absolute URL on the site (Site:BaseUrl and Site:ArticlePath with its slug); for a draft, the URL it will have.")
            .Resolve(context => Site(context).ArticleUrl(context.Source.Slug));

        article.Field<NonNullGraphType<StringGraphType>>("jsonLd")
            .Description("The article as a schema.org NewsArticle in JSON-LD, escaped so that it can go into <script type=\"application/ld+json\"> as it is.")
            .Resolve(context =>
            {
                var loaders = context.RequestServices!.GetRequiredService<ArticleLoaders>();
                var source = context.Source;
                var site = Site(context);
                var url = site.ArticleUrl(source.Slug);
                var publication = loaders.Publications.Load(source.PublicationId);
                var tags = loaders.Tags.Load(source.Id);
                var credits = Authors.ArticleCreditsLoading.Credits(context.RequestServices!.GetRequiredService<Authors.AuthorLoaders>(), source);
                return new Deferred<string>(async cancellationToken => NewsArticleJsonLd.Of(
                    source, url, (await publication.GetResultAsync(cancellationToken)).Name, await tags.GetResultAsync(cancellationToken),
                    await credits.GetResultAsync(cancellationToken), site));
            });
    }

    private static SiteOptions Site(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<IOptions<SiteOptions>>().Value;

    /// <summary>A value made of batched loads, computed only when the executor asks, once every sibling has asked for its keys.</summary>
    private sealed class Deferred<T>(Func<CancellationToken, Task<T>> compute) : IDataLoaderResult<T>
    {
        public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => compute(cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await compute(cancellationToken);
    }
}
