using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using T4K3News.Api.Articles;
using T4K3News.Api.Authors;
using T4K3News.Api.Tags;
using T4K3News.Content.Articles;
using T4K3News.Content.Tags;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Caching;

/// <summary>
/// What an anonymous answer depends on, read from its execution tree (what it actually shows, not how resolvers got it):
/// <list type="bullet">
/// <item>every article shown (<c>article:ID</c>), with everything hanging off it: text, parts, its tag list, its related list;</item>
/// <item>every tag shown (<c>tag:ID</c>);</item>
/// <item><c>lists</c> when it shows which articles exist at all: an article list or count, or a lookup that found none;</item>
/// <item><c>tags</c> when it shows which tags exist or what a slug leads to: the tag list, a tag lookup; and an
/// article's JSON-LD, which names its tags;</item>
/// <item><c>authors</c> when it shows any author (a byline, a lookup, the list) or finds none: dropped by any change to an author.</item>
/// </list>
/// A root field these rules do not know, or an article or tag that is not its entity, keeps the answer out of the
/// cache: a new feature is never served stale, only uncached until it says what it depends on.
/// </summary>
public sealed class ContentResponseDependencies(IServiceProvider services) : IResponseDependencies
{
    public const string Lists = "lists";
    public const string TagLookups = "tags";
    public const string AuthorsShown = "authors";

    private static readonly HashSet<string> KnownRootFields = ["article", "articles", "resolveSlug", "searchArticles", "tag", "tags", "author", "authors", "node", "nodes", "__typename", "__schema", "__type"];

    private ISchema? schema;

    public static string OfArticle(int id) => "article:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string OfTag(int id) => "tag:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyCollection<string>? Of(ExecutionResult result)
    {
        if (result.Data is PlannedData planned)
            return planned.Dependencies;
        schema ??= services.GetRequiredService<ISchema>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var lists = false;
        foreach (var node in ExecutionNodes.All(result))
        {
            if (node is RootExecutionNode)
                continue;

            if (node.Parent is not ArrayExecutionNode)
            {
                switch (node.Parent?.GraphType?.Name, node.FieldDefinition.Name)
                {
                    case ("Query", var field) when !KnownRootFields.Contains(field):
                        return null;
                    case ("Query", "articles") or ("Query", "searchArticles") or (TagType.TypeName, "articles") or (TagType.TypeName, "articleCount")
                        or (AuthorType.TypeName, "articles") or (ArticleType.TypeName, "similarArticles"):
                        lists = true;
                        break;
                    case ("Query", "tag") or ("Query", "tags"):
                        keys.Add(TagLookups);
                        break;
                    case ("Query", "author") or ("Query", "authors"):
                        keys.Add(AuthorsShown);
                        break;
                }
            }

            // The JSON-LD shows the names of the article's tags and authors without them in the tree: it goes with any
            // tag or author change.
            if (node.FieldDefinition.Name == "jsonLd")
            {
                keys.Add(TagLookups);
                keys.Add(AuthorsShown);
            }

            if (node is not (ObjectExecutionNode or NullExecutionNode))
                continue;
            if (node.Result is null)
            {
                // A lookup that found nothing: what it finds changes when any article (or tag) comes or goes.
                switch (node.FieldDefinition.ResolvedType?.GetNamedType().Name)
                {
                    case ArticleType.TypeName or SlugResolutionType.TypeName:
                        lists = true;
                        break;
                    case TagType.TypeName:
                        keys.Add(TagLookups);
                        break;
                    case AuthorType.TypeName:
                        keys.Add(AuthorsShown);
                        break;
                    case "Node":
                        lists = true;
                        keys.Add(TagLookups);
                        keys.Add(AuthorsShown);
                        break;
                }

                continue;
            }

            switch (((ObjectExecutionNode)node).GetObjectGraphType(schema)?.Name, node.Result)
            {
                case (ArticleType.TypeName, Article article):
                    keys.Add(OfArticle(article.Id));
                    break;
                case (TagType.TypeName, Tag tag):
                    keys.Add(OfTag(tag.Id));
                    break;
                case (ArticleType.TypeName or TagType.TypeName or ArticleRevisionType.TypeName, _):
                    return null;
                case (AuthorType.TypeName, Content.Authors.Author):
                    keys.Add(AuthorsShown);
                    break;
                case (AuthorType.TypeName, _):
                    return null;
            }
        }

        if (lists)
        {
            // Every change to an article also invalidates lists, so a list answer needs no key per article.
            keys.RemoveWhere(key => key.StartsWith("article:", StringComparison.Ordinal));
            keys.Add(Lists);
        }

        return keys;
    }
}
