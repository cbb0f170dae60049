using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

/// <summary>What a slug leads to: the article, its slug now, and whether the slug asked for is an old one (a redirect).</summary>
public sealed record SlugResolution(Article Article, string CanonicalSlug, bool IsRedirect);

/// <summary>Slugs old and new: <c>article(slug:)</c> and <c>resolveSlug(slug:)</c> find an article by either.</summary>
public static class ArticleSlugs
{
    public static void Register(ObjectGraphType query) =>
        query.Field<SlugResolutionType>("resolveSlug")
            .Description("What a slug leads to, for front ends turning old links into redirects: the article the caller may see that has this slug now, or had it before a rename; null when there is none. Slugs are lowercase: the slug in another case leads where the lowercase one does, as a redirect.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async context =>
            {
                var databases = context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
                var access = context.RequestServices!.GetRequiredService<ArticleAccess>();
                var slug = context.GetArgument<string>("slug");
                await using var db = await databases.CreateDbContextAsync(context.CancellationToken);
                return await ResolveAsync(db, access, slug, context.CancellationToken);
            });

    /// <summary>
    /// The article the caller may see with this slug now, else the one that had it before a rename; with
    /// <paramref name="previewed"/>, also the one article a preview token opens (for <c>article(slug:)</c>).
    /// </summary>
    public static async Task<SlugResolution?> ResolveAsync(
        ContentDbContext db, ArticleAccess access, string requested, CancellationToken cancellationToken,
        bool previewed = false)
    {
        var articles = (previewed ? access.ArticlesOrPreviewed(db) : access.Articles(db)).AsNoTracking();
        // Another case of a slug is that slug, reached by a redirect as an old one is.
        var slug = Slug.Canonical(requested);
        if (await articles.SingleOrDefaultAsync(a => a.Slug == slug, cancellationToken) is { } current)
            return new SlugResolution(current, current.Slug, IsRedirect: slug != requested);
        var renamed = await articles
            .Where(a => db.ArticleSlugHistory.Any(h => h.Slug == slug && h.ArticleId == a.Id))
            .SingleOrDefaultAsync(cancellationToken);
        return renamed is null ? null : new SlugResolution(renamed, renamed.Slug, IsRedirect: true);
    }
}

public sealed class SlugResolutionType : ObjectGraphType<SlugResolution>
{
    public const string TypeName = "SlugResolution";

    public SlugResolutionType()
    {
        Name = TypeName;
        Description = "What a slug leads to.";
        Field<NonNullGraphType<ArticleType>>("article").Resolve(c => c.Source.Article);
        Field<NonNullGraphType<StringGraphType>>("canonicalSlug").Description("The article's slug now: where a redirect leads.").Resolve(c => c.Source.CanonicalSlug);
        Field<NonNullGraphType<BooleanGraphType>>("isRedirect")
            .Description("True when the slug asked for is an old one, left by a rename, or the slug in another case: a front end answers it with a permanent redirect (301) to the canonical slug.")
            .Resolve(c => c.Source.IsRedirect);
    }
}
