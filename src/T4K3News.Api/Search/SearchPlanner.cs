using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Api.Articles;
using T4K3News.Api.Caching;
using T4K3News.Content;
using T4K3News.GraphQLServer;

namespace T4K3News.Api.Search;

/// <summary>
/// Plans the common search page into one SQL statement that writes the answer's JSON: <c>searchArticles</c> selecting
/// only <c>totalCount</c> and <c>nodes { score snippet article { …texts… } }</c>. Anything else (edges, pageInfo, facets,
/// suggestion, an article's other fields, an argument that would be refused) declines, and the resolvers answer.
/// </summary>
public sealed class SearchPlanner(IOptions<SearchOptions> options) : IRootFieldPlanner
{
    private static readonly Dictionary<string, string> ArticleTexts = new(StringComparer.Ordinal)
    {
        ["slug"] = "Slug", ["title"] = "Title", ["kicker"] = "Kicker", ["standfirst"] = "Standfirst",
        ["bodyHeading"] = "BodyHeading", ["body"] = "Body", ["analysis"] = "Analysis", ["closingLine"] = "ClosingLine",
    };

    public PlannedField? Plan(SelectionPlanning planning, GraphQLField field, FieldType definition)
    {
        if (definition.Name != "searchArticles" || field.SelectionSet is null)
            return null;
        if (planning.Argument(field, definition, "query") is not string text || string.IsNullOrWhiteSpace(text) || text.Length > options.Value.MaxQueryLength)
            return null;
        PageWindow window;
        try
        {
            window = PagingArguments.Of(planning.Argument(field, definition, "first") as int?, null, planning.Argument(field, definition, "after") as string, null).Window();
        }
        catch (ExecutionError)
        {
            return null;
        }

        var connection = ((IComplexGraphType)definition.ResolvedType!.GetNamedType());
        var members = new List<string>();
        foreach (var (key, (child, childDefinition)) in planning.Collect(connection, field.SelectionSet))
        {
            if (SelectionPlanning.HasOtherDirectives(child))
                return null;
            string? member = childDefinition.Name switch
            {
                "__typename" => "'ArticleSearchConnection'",
                "totalCount" => "(SELECT count(*)::int FROM matches)",
                "nodes" => Nodes(planning, child, childDefinition),
                _ => null,
            };
            if (member is null)
                return null;
            members.Add($"'{key}', {member}");
        }

        var services = planning.Context.RequestServices!;
        var access = services.GetRequiredService<ArticleAccess>();
        var databases = services.GetRequiredService<IDbContextFactory<ContentDbContext>>();
        var where = planning.Argument(field, definition, "where");
        System.Linq.Expressions.Expression<Func<Content.Articles.Article, bool>>? predicate = null;
        try
        {
            if (where is not null)
                predicate = ArticleFiltering.Filter.ToPredicate(where);
        }
        catch (ExecutionError)
        {
            return null;
        }

        var json = $"json_build_object({string.Join(", ", members)})";
        return new PlannedField(async cancellationToken =>
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var visible = access.Articles(db).AsNoTracking();
            if (predicate is not null)
                visible = visible.Where(predicate);
            var (sql, parameters) = ArticleSearch.Statement(visible, json, options.Value.TextSearchConfiguration, text, window.Start, window.Size);
            var answer = await db.Database.SqlQueryRaw<string>(sql, [.. parameters]).SingleAsync(cancellationToken);
            return PlannedValue.Of(answer, [ContentResponseDependencies.Lists]);
        });
    }

    private static string? Nodes(SelectionPlanning planning, GraphQLField nodes, FieldType definition)
    {
        if (nodes.SelectionSet is null)
            return null;
        var members = new List<string>();
        foreach (var (key, (child, childDefinition)) in planning.Collect(definition.ResolvedType!.GetNamedType(), nodes.SelectionSet))
        {
            if (SelectionPlanning.HasOtherDirectives(child))
                return null;
            string? member = childDefinition.Name switch
            {
                "__typename" => "'ArticleSearchResult'",
                "score" => "p.score",
                "snippet" => ArticleSearch.Snippet,
                "article" => Article(planning, child, childDefinition),
                _ => null,
            };
            if (member is null)
                return null;
            members.Add($"'{key}', {member}");
        }

        return $"""
            (SELECT coalesce(json_agg(json_build_object({string.Join(", ", members)}) ORDER BY p.score DESC, p."PublishedAt" DESC NULLS LAST, p."Id" DESC), '[]')
             FROM page AS p JOIN "Articles" AS a ON a."Id" = p."Id")
            """;
    }

    private static string? Article(SelectionPlanning planning, GraphQLField article, FieldType definition)
    {
        if (article.SelectionSet is null)
            return null;
        var members = new List<string>();
        foreach (var (key, (child, childDefinition)) in planning.Collect(definition.ResolvedType!.GetNamedType(), article.SelectionSet))
        {
            if (SelectionPlanning.HasOtherDirectives(child))
                return null;
            if (childDefinition.Name == "__typename")
                members.Add($"'{key}', '{ArticleType.TypeName}'");
            else if (ArticleTexts.TryGetValue(childDefinition.Name, out var column))
                members.Add($"'{key}', a.\"{column}\"");
            else
                return null;
        }

        return $"json_build_object({string.Join(", ", members)})";
    }
}
