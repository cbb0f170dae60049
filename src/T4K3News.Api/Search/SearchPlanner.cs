using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
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
public sealed class SearchPlanner(IOptions<SearchOptions> options, Reading.ContentReadSource source, TimeProvider clock) : IRootFieldPlanner
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
        var where = planning.Argument(field, definition, "where");
        var json = $"json_build_object({string.Join(", ", members)})";
        if (where is null)
        {
            // The common page: the statement depends only on the selection and the role, so it is built once per parsed
            // document (which bounds what it keeps: see ParsedDocuments) and run through the read source with this request's text, window and time; unless a
            // variable other than the query's text may change it (a page size, a cursor, @include), as for the read planner.
            var editor = access.SeesUnpublished;
            var keep = planning.Context.Operation.Variables?.Items is not { Count: > 0 }
                || Reading.ContentReadPlanner.VariablesOnlyAsParameters(planning, field, ["query"]);
            var document = keep ? planning.Document : null;
            if (document is null)
                return Run(Build(services, json), text, window, again: null);
            if (!document.TryGetPlan<KeptStatement>(field, editor, out var statement) || statement is null)
                document.KeepPlan(field, editor, statement = Build(services, json), statement.Bytes);

            return Run(statement, text, window, editor ? null : variables => Again(statement, field, window, text, variables));
        }

        var databases = services.GetRequiredService<IDbContextFactory<ContentDbContext>>();
        System.Linq.Expressions.Expression<Func<Content.Articles.Article, bool>>? predicate;
        try
        {
            predicate = ArticleFiltering.Filter.ToPredicate(where);
        }
        catch (ExecutionError)
        {
            return null;
        }

        return new PlannedField(async cancellationToken =>
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var visible = access.Articles(db).AsNoTracking().Where(predicate);
            var (sql, parameters) = ArticleSearch.Statement(visible, json, options.Value.TextSearchConfiguration, text, window.Start, window.Size);
            var answer = await db.Database.SqlQueryRaw<string>(sql, [.. parameters]).SingleAsync(cancellationToken);
            return PlannedValue.Of(answer, [ContentResponseDependencies.Lists]);
        });
    }

    /// <summary>A search page's statement with its parameters, the visibility's time among them (none for editors).</summary>
    private sealed record KeptStatement(string Sql, NpgsqlParameter[] Parameters)
    {
        /// <summary>What keeping it holds: its text and its parameters.</summary>
        public long Bytes => 96 + (2L * Sql.Length) + (Parameters.Length * 160);
    }

    private KeptStatement Build(IServiceProvider services, string json)
    {
        using var db = services.GetRequiredService<IDbContextFactory<ContentDbContext>>().CreateDbContext();
        var visible = services.GetRequiredService<ArticleAccess>().Articles(db).AsNoTracking();
        var (sql, parameters) = ArticleSearch.Statement(visible, json, options.Value.TextSearchConfiguration, "", 0, 0);
        return new KeptStatement(sql, [.. parameters.Cast<NpgsqlParameter>()]);
    }

    private PlannedField Run(KeptStatement statement, string text, PageWindow window, Func<IReadOnlyDictionary<string, string>, PlannedField?>? again)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var parameters = statement.Parameters.Select(template =>
        {
            var parameter = template.Clone();
            parameter.Value = parameter.ParameterName switch
            {
                "search_text" => text,
                "search_skip" => window.Start,
                "search_take" => window.Size,
                // The only time in the statement is readers' visibility: the time of this request.
                _ when parameter.Value is DateTime => now,
                _ => parameter.Value,
            };
            return (object)parameter;
        }).ToList();
        return new PlannedField(cancellationToken => source.QueryJsonAsync(statement.Sql, parameters, [ContentResponseDependencies.Lists], cancellationToken), again);
    }

    /// <summary>The kept page for a reader's later request: its query text from the request's variable, refused as the field refuses it.</summary>
    private PlannedField? Again(KeptStatement statement, GraphQLField field, PageWindow window, string planned, IReadOnlyDictionary<string, string> variables)
    {
        // A text written in the document is the one the statement was planned with.
        var text = field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "query")?.Value is GraphQLVariable variable
            ? variables.GetValueOrDefault(variable.Name.StringValue)
            : planned;
        if (text is null || string.IsNullOrWhiteSpace(text) || text.Length > options.Value.MaxQueryLength)
            return null;
        return Run(statement, text, window, again => Again(statement, field, window, planned, again));
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
