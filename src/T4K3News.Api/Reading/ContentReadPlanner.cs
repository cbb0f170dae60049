using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using T4K3News.Api.Articles;
using T4K3News.Api.Auth;
using T4K3News.Api.Caching;
using T4K3News.Api.Tags;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Content.Tags;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Filtering;

namespace T4K3News.Api.Reading;

/// <summary>
/// Plans the front ends' reads (<c>article(slug:)</c>, <c>articles</c>, <c>tag(slug:)</c>) into one SQL statement per
/// root field that builds the response's JSON in PostgreSQL, selecting only what was asked, with the caller's visibility
/// inside every subquery. Columns come from the EF model and filters and sorts from the same field lists the schema
/// uses, so a new scalar field is read here without a change. Whatever it does not know, it declines, and GraphQL.NET
/// resolves the operation through the loaders instead.
/// </summary>
public sealed class ContentReadPlanner(ContentReadSource source, IDbContextFactory<ContentDbContext> databases, TimeProvider clock) : IRootFieldPlanner
{
    private readonly Lazy<IModel> model = new(() =>
    {
        using var db = databases.CreateDbContext();
        return db.Model;
    });

    /// <summary>
    /// Plans by root field (of a document the executor keeps parsed, with the plans of its fields: see
    /// <see cref="ParsedDocuments"/>, which bounds them) and role. A plan depends on nothing else but the time, unless the
    /// field uses variables: then it is kept only when each of them is the whole value of an argument that is no more than
    /// a parameter of the statement (<c>article(slug: $slug)</c>), whose value is put in when the plan is run again; a
    /// variable anywhere else (a filter, a page size, a cursor, <c>@include</c>) may change the SQL, and such a field is
    /// planned on every request.
    /// </summary>
    private int plansBuilt;

    /// <summary>How many plans were built (not taken from those kept), for the tests.</summary>
    public int PlansBuilt => plansBuilt;

    public PlannedField? Plan(SelectionPlanning planning, GraphQLField field, FieldType definition)
    {
        // A preview request sees one article more than readers do, which only the resolvers know: it is never planned,
        // and so never takes or leaves a kept plan.
        if (planning.Context.RequestServices?.GetService<ArticleAccess>()?.PreviewedArticleId is not null)
            return null;
        var editor = planning.Context.User?.IsInRole(Roles.Editor) == true;
        var now = clock.GetUtcNow().UtcDateTime;
        var usesVariables = planning.Context.Operation.Variables?.Items is { Count: > 0 };
        var keep = !usesVariables || VariablesOnlyAsParameters(planning, field, definition);
        Prepared? prepared = null;
        var document = keep ? planning.Document : null;
        if (document is null || !document.TryGetPlan(field, editor, out prepared) || (prepared is not null && !prepared.Fits(planning, field, definition)))
        {
            Interlocked.Increment(ref plansBuilt);
            prepared = Prepare(planning, field, definition, editor, now);
            // A field that declined may have declined for its variables' values: only a plan is kept for those.
            if (document is not null && (prepared is not null || !usesVariables))
                document.KeepPlan(field, editor, prepared, prepared?.Bytes ?? 0);
        }

        if (prepared is null)
            return null;
        return Run(prepared, now, argument => planning.Argument(field, definition, argument)!,
            keep && !editor ? variables => Again(prepared, field, variables) : null);
    }

    private PlannedField Run(Prepared prepared, DateTime now, Func<string, object> argument, Func<IReadOnlyDictionary<string, string>, PlannedField?>? again)
    {
        var parameters = prepared.Parameters;
        if (prepared.NowIndex is not null || prepared.Arguments.Count > 0)
        {
            parameters = [.. parameters];
            if (prepared.NowIndex is { } index)
                parameters[index] = now;
            foreach (var (name, at) in prepared.Arguments)
                parameters[at] = argument(name);
        }

        return new PlannedField(cancellationToken => source.QueryJsonAsync(prepared.Sql, parameters, prepared.WhenNoRow, cancellationToken), again);
    }

    /// <summary>
    /// A kept plan for a reader's later request: its parameter arguments take that request's variables (a literal keeps the
    /// value it was planned with), its time is the time then. Declines a value the plan was not made for (see <see cref="Prepared.Fits"/>).
    /// </summary>
    private PlannedField? Again(Prepared prepared, GraphQLField field, IReadOnlyDictionary<string, string> variables)
    {
        var values = new Dictionary<string, object>(prepared.Arguments.Count, StringComparer.Ordinal);
        foreach (var (name, at) in prepared.Arguments)
        {
            var argument = field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == name);
            if (argument?.Value is not GraphQLVariable variable)
                values[name] = prepared.Parameters[at];
            else if (variables.TryGetValue(variable.Name.StringValue, out var text) && prepared.Parameters[at] is string)
                values[name] = text;
            else
                return null;
        }

        return Run(prepared, clock.GetUtcNow().UtcDateTime, name => values[name], variables => Again(prepared, field, variables));
    }

    /// <summary>The root-field arguments the statement takes as a parameter and nothing more (see <see cref="ReadPlan.ArgumentParameter"/>).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> ParameterArguments = new Dictionary<string, string[]>
    {
        ["article"] = ["slug"],
        ["tag"] = ["slug"],
    };

    private static bool VariablesOnlyAsParameters(SelectionPlanning planning, GraphQLField field, FieldType definition) =>
        VariablesOnlyAsParameters(planning, field, ParameterArguments.GetValueOrDefault(definition.Name) ?? []);

    /// <summary>
    /// Whether every variable in the field (its arguments, its selection, fragments and directives within) is the whole
    /// value of one of the <paramref name="parameters"/> arguments: then a statement for the field can be kept and run
    /// again with other values of them.
    /// </summary>
    internal static bool VariablesOnlyAsParameters(SelectionPlanning planning, GraphQLField field, string[] parameters)
    {
        foreach (var argument in field.Arguments?.Items ?? [])
        {
            if (argument.Value is GraphQLVariable && parameters.Contains(argument.Name.StringValue))
                continue;
            if (UsesVariable(argument.Value))
                return false;
        }

        var fragments = planning.Context.Document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);
        var seen = new HashSet<string>();
        return !UsesVariables(field.Directives) && !SelectionUsesVariables(field.SelectionSet);

        bool SelectionUsesVariables(GraphQLSelectionSet? selection) => selection?.Selections.Any(s => s switch
        {
            GraphQLField inner => (inner.Arguments?.Items ?? []).Any(a => UsesVariable(a.Value)) || UsesVariables(inner.Directives) || SelectionUsesVariables(inner.SelectionSet),
            GraphQLInlineFragment inline => UsesVariables(inline.Directives) || SelectionUsesVariables(inline.SelectionSet),
            GraphQLFragmentSpread spread => UsesVariables(spread.Directives)
                || (seen.Add(spread.FragmentName.Name.StringValue) && fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                    && (UsesVariables(fragment.Directives) || SelectionUsesVariables(fragment.SelectionSet))),
            _ => true,
        }) == true;

        static bool UsesVariables(GraphQLDirectives? directives) => directives?.Items.Any(d => (d.Arguments?.Items ?? []).Any(a => UsesVariable(a.Value))) == true;

        static bool UsesVariable(GraphQLValue value) => value switch
        {
            GraphQLVariable => true,
            GraphQLListValue list => list.Values?.Any(UsesVariable) == true,
            GraphQLObjectValue item => item.Fields?.Any(f => UsesVariable(f.Value)) == true,
            _ => false,
        };
    }

    private Prepared? Prepare(SelectionPlanning planning, GraphQLField field, FieldType definition, bool editor, DateTime now)
    {
        var plan = new ReadPlan(planning, model.Value, editor, now);
        string? sql;
        try
        {
            sql = definition.Name switch
            {
                "article" => plan.ArticleBySlug(field, definition),
                "articles" => plan.Articles(field, definition),
                "tag" => plan.TagBySlug(field, definition),
                _ => null,
            };
        }
        catch (ExecutionError)
        {
            // An argument GraphQL.NET would refuse: it answers with the exact error.
            return null;
        }

        // What the answer shows, for the response cache: an article page its article and tags (links to changed related
        // articles are followed by the cache's invalidation); lists and lookups "lists" (and "tags"), dropped by any change.
        IReadOnlyCollection<string> whenNoRow = definition.Name == "tag" ? [ContentResponseDependencies.TagLookups, ContentResponseDependencies.Lists] : [ContentResponseDependencies.Lists];
        return sql is null ? null : new Prepared(sql, [.. plan.Parameters], plan.NowIndex, plan.Arguments, whenNoRow);
    }

    /// <summary>A statement ready to run again: its parameters, one of which may be the current time, others arguments' values.</summary>
    private sealed record Prepared(string Sql, object[] Parameters, int? NowIndex, IReadOnlyList<(string Argument, int Index)> Arguments, IReadOnlyCollection<string> WhenNoRow)
    {
        /// <summary>What keeping it holds: its text, its parameters (a string's own bytes), its lists.</summary>
        public long Bytes => 128 + (2L * Sql.Length) + Parameters.Sum(p => 48 + (p is string text ? 2L * text.Length : 0)) + (Arguments.Count * 40);

        /// <summary>Whether this request's argument values can stand where the plan's were (a value of the same type).</summary>
        public bool Fits(SelectionPlanning planning, GraphQLField field, FieldType definition) =>
            Arguments.All(a => planning.Argument(field, definition, a.Argument) is { } value && value.GetType() == Parameters[a.Index].GetType());
    }
}

/// <summary>One root field's statement as it is built: its SQL text and positional parameters.</summary>
internal sealed class ReadPlan(SelectionPlanning planning, IModel model, bool seesUnpublished, DateTime now)
{
    /// <summary>json_build_object takes at most 100 arguments.</summary>
    private const int MaxObjectKeys = 50;

    private readonly IEntityType articles = model.FindEntityType(typeof(Article))!;
    private readonly IEntityType tags = model.FindEntityType(typeof(Tag))!;
    private readonly IEntityType publications = model.FindEntityType(typeof(Content.Publications.Publication))!;
    private readonly IEntityType articleTags = model.FindEntityType(typeof(ArticleTag))!;
    private readonly IEntityType relatedArticles = model.FindEntityType(typeof(RelatedArticle))!;
    private int aliases;
    private string? nowParameter;

    public List<object> Parameters { get; } = [];

    /// <summary>Which parameters are root-field arguments' values, to be put in anew when a kept plan runs again.</summary>
    public List<(string Argument, int Index)> Arguments { get; } = [];

    /// <summary>A root-field argument's value as a parameter and nothing more: the SQL does not depend on it.</summary>
    private string ArgumentParameter(string argument, object value)
    {
        var parameter = Parameter(value);
        Arguments.Add((argument, Parameters.Count - 1));
        return parameter;
    }

    /// <summary>Which parameter is the current time (readers' visibility), so that a kept plan can be run later.</summary>
    public int? NowIndex { get; private set; }

    /// <summary>Whether the answer shows which articles exist (a count), so any article's change may change it.</summary>
    public bool ShowsLists { get; private set; }

    public string? ArticleBySlug(GraphQLField field, FieldType definition)
    {
        if (planning.Argument(field, definition, "slug") is not string slug)
            return null;
        var a = Alias("a");
        var article = ArticleObject(definition.ResolvedType!, field.SelectionSet, a);
        if (article is null)
            return null;
        var x = Alias("x");
        var shown = $"ARRAY['article:' || {a}.{Column(articles, nameof(Article.Id))}] || ARRAY(SELECT 'tag:' || {x}.{Column(articleTags, nameof(ArticleTag.TagId))} FROM {Table(articleTags)} {x} WHERE {x}.{Column(articleTags, nameof(ArticleTag.ArticleId))} = {a}.{Column(articles, nameof(Article.Id))})";
        if (ShowsLists)
            shown += $" || ARRAY['{ContentResponseDependencies.Lists}']";
        var history = model.FindEntityType(typeof(ArticleSlugHistory))!;
        // Slugs are lowercase: another case of one finds what it finds (folded as Slug.Canonical does: ASCII only).
        var slugParameter = $"lower({ArgumentParameter("slug", slug)} COLLATE \"C\")";
        var select = $"SELECT {article}, {shown} FROM {Table(articles)} {a}";
        // A slug the article had before a rename still finds it (the answer depends on that article, as for its slug now).
        // The history is read only when no article has the slug now: the first branch's row ends the statement.
        return $"""
            ({select} WHERE {a}.{Column(articles, nameof(Article.Slug))} = {slugParameter} AND {Visible(a)})
            UNION ALL
            ({select} WHERE {a}.{Column(articles, nameof(Article.Id))} = (SELECT h.{Column(history, nameof(ArticleSlugHistory.ArticleId))} FROM {Table(history)} h WHERE h.{Column(history, nameof(ArticleSlugHistory.Slug))} = {slugParameter}) AND {Visible(a)})
            LIMIT 1
            """;
    }

    public string? TagBySlug(GraphQLField field, FieldType definition)
    {
        if (planning.Argument(field, definition, "slug") is not string slug)
            return null;
        var t = Alias("t");
        var tag = TagObject(definition.ResolvedType!, field.SelectionSet, t);
        if (tag is null)
            return null;
        var history = model.FindEntityType(typeof(TagSlugHistory))!;
        var slugParameter = $"lower({ArgumentParameter("slug", slug)} COLLATE \"C\")";
        // A slug the tag had before a rename or merge still finds it; so does the slug in another case.
        return $"""
            SELECT {tag}, ARRAY['{ContentResponseDependencies.TagLookups}', '{ContentResponseDependencies.Lists}'] FROM {Table(tags)} {t}
            WHERE {t}.{Column(tags, nameof(Tag.Slug))} = {slugParameter}
               OR {t}.{Column(tags, nameof(Tag.Id))} = (SELECT h.{Column(history, nameof(TagSlugHistory.TagId))} FROM {Table(history)} h WHERE h.{Column(history, nameof(TagSlugHistory.Slug))} = {slugParameter})
            ORDER BY {t}.{Column(tags, nameof(Tag.Slug))} = {slugParameter} DESC LIMIT 1
            """;
    }

    public string? Articles(GraphQLField field, FieldType definition)
    {
        var paging = PagingArguments.Of(
            planning.Argument(field, definition, "first") as int?, planning.Argument(field, definition, "last") as int?,
            planning.Argument(field, definition, "after") as string, planning.Argument(field, definition, "before") as string);
        var orderArgument = planning.Argument(field, definition, "order");
        // Orders by publication time page by keys (unless the client holds offset cursors); others by offsets.
        var keyset = paging.HasOffsets ? null : ArticleFiltering.Keyset(orderArgument as IEnumerable<object?>);
        var keys = keyset is null ? null : KeysetPage.Of(paging, keyset);
        if (keys is null && paging.NeedsTotal)
            return null;
        var window = keys is null ? paging.Window() : null;
        var size = keys?.Size ?? window!.Size;
        var backward = keys?.Backward == true;

        var a = Alias("a");
        var filter = planning.Argument(field, definition, "where") is { } where ? Filter(ArticleFiltering.Filter, articles, where, a) : "TRUE";
        var order = Order(orderArgument, a);
        if (filter is null || order is null)
            return null;
        // The total counts the whole list, whatever the cursors.
        var wholeList = filter;
        if (keys is not null)
        {
            if (keys.After is { } after)
                filter += $" AND {Beyond(keyset!, order, after, reversed: false)}";
            if (keys.Before is { } before)
                filter += $" AND {Beyond(keyset!, order, before, reversed: true)}";
        }

        var p = Alias("p");
        var n = Alias("n");
        var keyColumns = string.Join(", ", order.Select((_, i) => $"k{i}"));
        var keysAs = string.Join(", ", order.Select((o, i) => $"{o.Expression} AS k{i}"));
        string Ranking(string? of = null, bool reversed = false) =>
            string.Join(", ", order.Select((o, i) => $"{(of is null ? "" : of + ".")}k{i} {(reversed ? Reverse(o.Direction) : o.Direction)}"));
        // A page of nodes alone needs neither the row after it nor row numbers: one subquery, as hand-written SQL does.
        var nodesOnly = planning.Collect(Unwrap(definition.ResolvedType!), field.SelectionSet).Values.All(f => f.Definition.Name is "nodes" or "totalCount" or "__typename");
        var fetch = size == 0 ? 0 : nodesOnly ? size : size + 1;
        // Taken from the back ('last' by keys), the page is the first rows in the reverse order, shown in the order asked.
        var ids = $"""
            SELECT {a}.{Column(articles, nameof(Article.Id))} AS id, {keysAs} FROM {Table(articles)} {a}
                WHERE {Visible(a)} AND {filter}
                ORDER BY {string.Join(", ", order.Select(o => $"{o.Expression} {(backward ? Reverse(o.Direction) : o.Direction)}"))}
                OFFSET {window?.Start ?? 0} LIMIT {fetch}
            """;
        var page = $"""
            {p} AS ({ids}),
            {n} AS (SELECT id, {keyColumns}, row_number() OVER (ORDER BY {Ranking(reversed: backward)}) AS rn FROM {p})
            """;
        string Cursor(string offset) => $"encode(convert_to(({offset})::text, 'UTF8'), 'base64')";
        var rows = $"(SELECT count(*) FROM {p})";
        var shown = $"least({rows}, {size})";
        string PageEnd(bool last) => $"(SELECT {KeyCursor(keyset!, n)} FROM {n} WHERE {n}.rn <= {size} ORDER BY {Ranking(n, reversed: last)} LIMIT 1)";

        var connection = JsonObject(definition.ResolvedType!, field.SelectionSet, (d, f) => d.Name switch
        {
            "totalCount" => $"(SELECT count(*) FROM {Table(articles)} {a} WHERE {Visible(a)} AND {wholeList})",
            "nodes" or "edges" => Nodes(d, f),
            "pageInfo" => JsonObject(d.ResolvedType!, f.SelectionSet, (info, _) => (info.Name, keys) switch
            {
                // By keys: the row beyond the page shows a next page forwards and a previous one backwards; the cursor
                // the client came from shows the other.
                ("hasNextPage", { Backward: true }) => keys.Before is null ? "FALSE" : "TRUE",
                ("hasNextPage", { }) => $"{rows} > {size}",
                ("hasPreviousPage", { Backward: true }) => $"{rows} > {size}",
                ("hasPreviousPage", { }) => keys.After is null ? "FALSE" : "TRUE",
                ("startCursor", { }) => PageEnd(last: false),
                ("endCursor", { }) => PageEnd(last: true),
                // As PagingArguments.ToConnection: paging forwards, the row after the page counts only before 'before'.
                ("hasNextPage", _) => window!.Backward || window.End is not { } end || window.Start + window.Size < end ? $"{rows} > {window.Size}" : "FALSE",
                ("hasPreviousPage", _) => window!.HasEarlierRows ? "TRUE" : "FALSE",
                ("startCursor", _) => $"CASE WHEN {shown} > 0 THEN {Cursor(window!.Start.ToString(CultureInfo.InvariantCulture))} END",
                ("endCursor", _) => $"CASE WHEN {shown} > 0 THEN {Cursor($"{shown} + {window!.Start - 1}")} END",
                _ => null,
            }),
            _ => null,
        });
        return connection is null ? null : $"{(nodesOnly ? "" : $"WITH {page} ")}SELECT {connection}, ARRAY['{ContentResponseDependencies.Lists}']";

        string? Nodes(FieldType list, GraphQLField selection)
        {
            var r = Alias("r");
            var item = list.Name == "nodes"
                ? ArticleObject(list.ResolvedType!, selection.SelectionSet, r)
                : JsonObject(list.ResolvedType!, selection.SelectionSet, (d, f) => d.Name switch
                {
                    "cursor" => keys is null ? Cursor($"{n}.rn + {window!.Start - 1}") : KeyCursor(keyset!, n),
                    "node" => ArticleObject(d.ResolvedType!, f.SelectionSet, r),
                    _ => null,
                });
            if (item is null)
                return null;
            var joined = $"JOIN {Table(articles)} {r} ON {r}.{Column(articles, nameof(Article.Id))}";
            return nodesOnly
                ? $"(SELECT coalesce(json_agg({item} ORDER BY {Ranking(p)}), '[]'::json) FROM ({ids}) {p} {joined} = {p}.id)"
                : $"(SELECT coalesce(json_agg({item} ORDER BY {Ranking(n)}), '[]'::json) FROM {n} {joined} = {n}.id WHERE {n}.rn <= {size})";
        }
    }

    private static string Reverse(string direction) => direction == "ASC" ? "DESC" : "ASC";

    /// <summary>
    /// The rows beyond a cursor's keys in the order (before them when <paramref name="reversed"/>), nulls placed as
    /// PostgreSQL places them (last ascending, first descending), as <see cref="KeysetOrder{T}.Beyond"/> says for EF Core.
    /// </summary>
    private string Beyond(KeysetOrder<Article> keyset, List<(string Expression, string Direction)> order, object?[] values, bool reversed)
    {
        var any = new List<string>();
        var equal = new List<string>();
        // Readers see only published articles, whose publication time is never null.
        bool Nullable(int i) => seesUnpublished && System.Nullable.GetUnderlyingType(keyset.Keys[i].Key.ReturnType) is not null;
        // The first key's bound again, on its own: an index on it then starts at the cursor instead of walking to it.
        var start = values[0] is null ? null : (order[0].Direction == "DESC" != reversed ? "<=" : ">=");
        for (var i = 0; i < order.Count; i++)
        {
            var (column, direction) = order[i];
            var descending = direction == "DESC" != reversed;
            var nullable = Nullable(i);
            var value = values[i] is null ? null : Parameter(values[i]!);
            var beyond = (value, descending) switch
            {
                (null, true) => $"{column} IS NOT NULL",
                (null, false) => "FALSE",
                (_, true) => $"{column} < {value}",
                (_, false) => nullable ? $"({column} > {value} OR {column} IS NULL)" : $"{column} > {value}",
            };
            any.Add(string.Join(" AND ", [.. equal, beyond]));
            equal.Add(value is null ? $"{column} IS NULL" : $"{column} = {value}");
            if (i == 0 && start is not null)
                start = start == ">=" && nullable ? $"({column} >= {value} OR {column} IS NULL)" : $"{column} {start} {value}";
        }

        return $"{(start is null ? "" : start + " AND ")}(({string.Join(") OR (", any)}))";
    }

    /// <summary>A row's keyset cursor (<see cref="KeysetCursor"/>) from its key columns k0, k1, ...</summary>
    private static string KeyCursor(KeysetOrder<Article> keyset, string of)
    {
        var parts = keyset.Keys.Select((key, i) => (Nullable.GetUnderlyingType(key.Key.ReturnType) ?? key.Key.ReturnType) == typeof(DateTime)
            ? $"coalesce(to_char({of}.k{i} AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || '0#1', '')"
            : $"{of}.k{i}::text");
        return $"encode(convert_to(concat_ws(':', {string.Join(", ", parts)}), 'UTF8'), 'base64')";
    }

    private string? ArticleObject(IGraphType type, GraphQLSelectionSet? selection, string a) =>
        JsonObject(type, selection, (definition, field) => definition.Name switch
        {
            "id" => GlobalId(ArticleType.TypeName, $"{a}.{Column(articles, nameof(Article.Id))}"),
            "heroImage" => HeroImage(definition, field, a),
            "publication" => Publication(definition, field, a),
            "tags" => Tags(definition, field, a),
            "relatedArticles" => Related(definition, field, a),
            // Editors-only fields: their resolvers refuse readers with an error at the field's path, which a statement
            // cannot give, so the root field is declined (for editors too: they are rarely read and never cached).
            "previewLinks" or "revisions" => null,
            _ => OrderedList(definition, field, a) ?? Scalar(articles, definition, a),
        });

    private string? TagObject(IGraphType type, GraphQLSelectionSet? selection, string t) =>
        JsonObject(type, selection, (definition, _) => definition.Name switch
        {
            "id" => GlobalId(TagType.TypeName, $"{t}.{Column(tags, nameof(Tag.Id))}"),
            "articleCount" => ArticleCount(t),
            _ => Scalar(tags, definition, t),
        });

    /// <summary>
    /// The selected fields of <paramref name="type"/> as one JSON object, each written by <paramref name="value"/>
    /// (<c>__typename</c> here); null when any field cannot be planned, and then neither can the object.
    /// </summary>
    private string? JsonObject(IGraphType type, GraphQLSelectionSet? selection, Func<FieldType, GraphQLField, string?> value)
    {
        type = Unwrap(type);
        var parts = new List<string>();
        foreach (var (key, (field, definition)) in planning.Collect(type, selection))
        {
            var sql = SelectionPlanning.HasOtherDirectives(field) ? null : definition.Name == "__typename" ? Literal(type.Name) : value(definition, field);
            if (sql is null)
                return null;
            parts.Add($"{Literal(key)}, {sql}");
        }

        return parts.Count > MaxObjectKeys ? null : $"json_build_object({string.Join(", ", parts)})";
    }

    /// <summary>How many published articles carry the tag: readers' visibility whoever asks, as the field says.</summary>
    private string ArticleCount(string t)
    {
        ShowsLists = true;
        var (x, c) = (Alias("x"), Alias("c"));
        return $"(SELECT count(*)::int FROM {Table(articleTags)} {x} JOIN {Table(articles)} {c} ON {c}.{Column(articles, nameof(Article.Id))} = {x}.{Column(articleTags, nameof(ArticleTag.ArticleId))} WHERE {x}.{Column(articleTags, nameof(ArticleTag.TagId))} = {t}.{Column(tags, nameof(Tag.Id))} AND {ReadersSee(c)})";
    }

    private string? HeroImage(FieldType definition, GraphQLField field, string a)
    {
        var alt = $"{a}.{Column(articles, nameof(Article.HeroImageAltText))}";
        var caption = $"{a}.{Column(articles, nameof(Article.HeroImageCaption))}";
        var image = JsonObject(definition.ResolvedType!, field.SelectionSet, (d, _) => d.Name switch
        {
            "altText" => alt,
            "caption" => caption,
            _ => null,
        });
        return image is null ? null : $"CASE WHEN {alt} IS NULL AND {caption} IS NULL THEN NULL ELSE {image} END";
    }

    private string? Publication(FieldType definition, GraphQLField field, string a)
    {
        var p = Alias("pub");
        var publication = JsonObject(definition.ResolvedType!, field.SelectionSet, (d, _) => d.Name == "id"
            ? GlobalId(PublicationType.TypeName, $"{p}.{Column(publications, "Id")}")
            : Scalar(publications, d, p));
        return publication is null
            ? null
            : $"(SELECT {publication} FROM {Table(publications)} {p} WHERE {p}.{Column(publications, "Id")} = {a}.{Column(articles, nameof(Article.PublicationId))})";
    }

    private string? Tags(FieldType definition, GraphQLField field, string a)
    {
        var (x, t) = (Alias("x"), Alias("t"));
        var tag = TagObject(definition.ResolvedType!, field.SelectionSet, t);
        return tag is null
            ? null
            : $"(SELECT coalesce(json_agg({tag} ORDER BY {t}.{Column(tags, nameof(Tag.Name))}), '[]'::json) FROM {Table(articleTags)} {x} JOIN {Table(tags)} {t} ON {t}.{Column(tags, nameof(Tag.Id))} = {x}.{Column(articleTags, nameof(ArticleTag.TagId))} WHERE {x}.{Column(articleTags, nameof(ArticleTag.ArticleId))} = {a}.{Column(articles, nameof(Article.Id))})";
    }

    private string? Related(FieldType definition, GraphQLField field, string a)
    {
        var (x, r) = (Alias("x"), Alias("r"));
        var related = ArticleObject(definition.ResolvedType!, field.SelectionSet, r);
        return related is null
            ? null
            : $"(SELECT coalesce(json_agg({related} ORDER BY {x}.{Column(relatedArticles, nameof(RelatedArticle.Position))}), '[]'::json) FROM {Table(relatedArticles)} {x} JOIN {Table(articles)} {r} ON {r}.{Column(articles, nameof(Article.Id))} = {x}.{Column(relatedArticles, nameof(RelatedArticle.RelatedArticleId))} WHERE {x}.{Column(relatedArticles, nameof(RelatedArticle.ArticleId))} = {a}.{Column(articles, nameof(Article.Id))} AND {Visible(r)})";
    }

    /// <summary>An ordered list kept as a JSON column of the article (takeaways, quotes, ...), items in their order.</summary>
    private string? OrderedList(FieldType definition, GraphQLField field, string a)
    {
        if (articles.FindComplexProperty(Pascal(definition.Name)) is not { IsCollection: true } list)
            return null;
        var (i, o) = (Alias("i"), Alias("o"));
        var item = JsonObject(definition.ResolvedType!, field.SelectionSet, (d, _) =>
            list.ComplexType.FindProperty(Pascal(d.Name)) is { ClrType: var clr } property && clr == typeof(string)
                ? $"{i} ->> {Literal(property.GetJsonPropertyName() ?? property.Name)}"
                : null);
        var column = list.ComplexType.GetContainerColumnName() ?? list.Name;
        return item is null
            ? null
            : $"(SELECT coalesce(json_agg({item} ORDER BY {o}), '[]'::json) FROM jsonb_array_elements({a}.{Quote(column)}) WITH ORDINALITY AS e({i}, {o}))";
    }

    /// <summary>A field that is an entity's own column, written as GraphQL.NET writes its type.</summary>
    private string? Scalar(IEntityType entity, FieldType definition, string alias)
    {
        if (entity.FindProperty(Pascal(definition.Name)) is not { } property || property.IsShadowProperty())
            return null;
        var column = $"{alias}.{Quote(property.GetColumnName())}";
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (type == typeof(string) || type == typeof(int) || type == typeof(long) || type == typeof(bool))
            return column;
        if (type == typeof(DateTime))
            return IsoTime(column);
        if (type.IsEnum && Unwrap(definition.ResolvedType!) is EnumerationGraphType enumType)
            return EnumName(property, enumType, column);
        return null;
    }

    /// <summary>System.Text.Json's form of a UTC DateTime: seconds, then only the fraction's significant digits, then Z.</summary>
    private static string IsoTime(string column) => $"((to_json({column} AT TIME ZONE 'UTC') #>> '{{}}') || 'Z')";

    private string? EnumName(IProperty property, EnumerationGraphType enumType, string column)
    {
        var converter = property.GetTypeMapping().Converter;
        var cases = new List<string>();
        foreach (var value in enumType.Values)
        {
            var stored = converter is null ? value.Value : converter.ConvertToProvider(value.Value);
            if (stored is null)
                return null;
            cases.Add($"WHEN {Parameter(stored)} THEN {Literal(value.Name)}");
        }

        return $"CASE {column} {string.Join(" ", cases)} END";
    }

    private static string GlobalId(string typeName, string key) => $"encode(convert_to({Literal(typeName + ":")} || {key}, 'UTF8'), 'base64')";

    private string Visible(string alias) => seesUnpublished ? "TRUE" : ReadersSee(alias);

    private string ReadersSee(string alias)
    {
        if (nowParameter is null)
        {
            nowParameter = Parameter(now);
            NowIndex = Parameters.Count - 1;
        }

        return $"({alias}.{Column(articles, nameof(Article.Status))} = {Parameter(nameof(ArticleStatus.Published))} AND {alias}.{Column(articles, nameof(Article.PublishedAt))} <= {nowParameter})";
    }

    /// <summary>The sort keys with their directions, then the id: newest first unless the client orders otherwise.</summary>
    private List<(string Expression, string Direction)>? Order(object? order, string a)
    {
        var id = $"{a}.{Column(articles, nameof(Article.Id))}";
        var clauses = new List<(string, string)>();
        foreach (var clause in order as IEnumerable<object?> ?? [])
        {
            if (clause is not IDictionary<string, object?> fields)
                return null;
            foreach (var (name, value) in fields)
            {
                if (value is not SortDirection direction)
                    continue;
                if (ArticleFiltering.Sort.Selector(name) is not { } selector || ColumnOf(articles, selector, a) is not { } column)
                    return null;
                clauses.Add((column, direction == SortDirection.Asc ? "ASC" : "DESC"));
            }
        }

        if (clauses.Count == 0)
            return [($"{a}.{Column(articles, nameof(Article.PublishedAt))}", "DESC"), (id, "DESC")];
        clauses.Add((id, "ASC"));
        return clauses;
    }

    /// <summary>A <c>where</c> value as a SQL condition, or null when it holds something only EF Core's translation knows.</summary>
    private string? Filter<T>(EntityFilter<T> filter, IEntityType entity, object? where, string alias)
    {
        if (where is not IDictionary<string, object?> fields)
            return null;
        var conditions = new List<string>();
        foreach (var (name, value) in fields)
        {
            if (value is null)
                continue;
            string? condition;
            if (name is "and" or "or")
            {
                var parts = (value as IEnumerable<object?> ?? []).Select(item => Filter(filter, entity, item, alias)).ToList();
                if (parts.Any(p => p is null))
                    return null;
                condition = parts.Count == 0 ? null : $"({string.Join(name == "and" ? " AND " : " OR ", parts)})";
                if (condition is null)
                    continue;
            }
            else if (!filter.TryGetField(name, out var kind, out var selector, out var itemFilter) || value is not IDictionary<string, object?> operations)
            {
                return null;
            }
            else if (kind == FilterFieldKind.List)
            {
                condition = itemFilter is EntityFilter<Tag> tagFilter && IsArticleTags(selector) ? TagsCondition(tagFilter, operations, alias) : null;
            }
            else
            {
                condition = ColumnOf(entity, selector, alias) is { } column ? Operations(kind, column, IsNullable(entity, selector), operations) : null;
            }

            if (condition is null)
                return null;
            conditions.Add(condition);
        }

        return conditions.Count == 0 ? "TRUE" : $"({string.Join(" AND ", conditions)})";
    }

    private string? TagsCondition(EntityFilter<Tag> tagFilter, IDictionary<string, object?> operations, string a)
    {
        var conditions = new List<string>();
        foreach (var (operation, operand) in operations)
        {
            if (operand is null)
                continue;
            var (x, t) = (Alias("x"), Alias("t"));
            var links = $"FROM {Table(articleTags)} {x} WHERE {x}.{Column(articleTags, nameof(ArticleTag.ArticleId))} = {a}.{Column(articles, nameof(Article.Id))}";
            if (operation == "any")
            {
                conditions.Add(operand is true ? $"EXISTS (SELECT 1 {links})" : $"NOT EXISTS (SELECT 1 {links})");
                continue;
            }

            var predicate = Filter(tagFilter, tags, operand, t);
            if (predicate is null)
                return null;
            // The matching tags do not depend on the article at hand: as an array they are found once per statement, and
            // each article's links are then looked up by their key, as the hand-written SQL does.
            // When the filter names one tag by a unique key (a tag page's slug), that tag's id is a plain comparison, which
            // PostgreSQL checks in the links' key itself rather than on each link row it visits.
            var found = $"SELECT {t}.{Column(tags, nameof(Tag.Id))} FROM {Table(tags)} {t} WHERE {predicate}";
            var matching = operation is "some" or "none" && NamesOneRow(tagFilter, tags, operand)
                ? $"{x}.{Column(articleTags, nameof(ArticleTag.TagId))} = ({found})"
                : $"{x}.{Column(articleTags, nameof(ArticleTag.TagId))} = ANY(ARRAY({found}))";
            conditions.Add(operation switch
            {
                "some" => $"EXISTS (SELECT 1 {links} AND {matching})",
                "none" => $"NOT EXISTS (SELECT 1 {links} AND {matching})",
                "all" => $"NOT EXISTS (SELECT 1 {links} AND NOT {matching})",
                _ => null,
            } ?? "");
            if (conditions[^1].Length == 0)
                return null;
        }

        return conditions.Count == 0 ? "TRUE" : $"({string.Join(" AND ", conditions)})";
    }

    /// <summary>Whether a <c>where</c> value asks for one value of a unique column (<c>slug: { eq: "economy" }</c>), so at most one row matches.</summary>
    private static bool NamesOneRow<T>(EntityFilter<T> filter, IEntityType entity, object? where) =>
        where is IDictionary<string, object?> fields && fields.Any(field =>
            field.Value is IDictionary<string, object?> operations && operations.TryGetValue("eq", out var value) && value is not null
            && filter.TryGetField(field.Key, out var kind, out var selector, out _) && kind != FilterFieldKind.List
            && (selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body) is MemberExpression { Expression: ParameterExpression } member
            && entity.FindProperty(member.Member.Name) is { } property
            && (property.IsPrimaryKey() || entity.GetIndexes().Any(index => index.IsUnique && index.Properties.Count == 1 && index.Properties[0] == property)));

    /// <summary>Comparisons with C#'s meaning, as EF Core translates them: null equals null, and a comparison with null is false.</summary>
    private string? Operations(FilterFieldKind kind, string column, bool nullable, IDictionary<string, object?> operations)
    {
        var conditions = new List<string>();
        foreach (var (operation, operand) in operations)
        {
            if (operation is "and" or "or" && kind == FilterFieldKind.String)
            {
                var parts = (operand as IEnumerable<object?> ?? []).Select(o => o is IDictionary<string, object?> inner ? Operations(kind, column, nullable, inner) : null).ToList();
                if (parts.Any(p => p is null))
                    return null;
                if (parts.Count > 0)
                    conditions.Add($"({string.Join(operation == "and" ? " AND " : " OR ", parts)})");
                continue;
            }

            var value = operand is DateTime time ? ToUtc(time) : operand;
            string? condition = (operation, value) switch
            {
                ("eq", null) => $"{column} IS NULL",
                ("neq", null) => $"{column} IS NOT NULL",
                ("eq", _) => Known($"{column} = {Parameter(Stored(value)!)}"),
                ("neq", _) => $"NOT {Known($"{column} = {Parameter(Stored(value)!)}")}",
                (_, null) => null,
                ("in" or "nin", IEnumerable list) when InList(list) is { } inList => operation == "in" ? inList : $"NOT {inList}",
                ("contains" or "ncontains", string text) when kind == FilterFieldKind.String => Known($"strpos({column}, {Parameter(text)}) > 0"),
                ("startsWith" or "nstartsWith", string text) when kind == FilterFieldKind.String => Known($"starts_with({column}, {Parameter(text)})"),
                ("endsWith" or "nendsWith", string text) when kind == FilterFieldKind.String => EndsWith(Parameter(text)),
                ("gt" or "ngt", _) when kind == FilterFieldKind.Ordered => Known($"{column} > {Parameter(value)}"),
                ("gte" or "ngte", _) when kind == FilterFieldKind.Ordered => Known($"{column} >= {Parameter(value)}"),
                ("lt" or "nlt", _) when kind == FilterFieldKind.Ordered => Known($"{column} < {Parameter(value)}"),
                ("lte" or "nlte", _) when kind == FilterFieldKind.Ordered => Known($"{column} <= {Parameter(value)}"),
                _ => null,
            };
            if (condition is null)
                return null;
            conditions.Add(operation is "ncontains" or "nstartsWith" or "nendsWith" or "ngt" or "ngte" or "nlt" or "nlte" ? $"NOT {condition}" : condition);
        }

        return conditions.Count == 0 ? "TRUE" : $"({string.Join(" AND ", conditions)})";

        string EndsWith(string text) => Known($"right({column}, length({text})) = {text}");

        // On a column that cannot be null a comparison is never unknown: it stays plain, so PostgreSQL can use its indexes
        // and estimates; on one that can, unknown counts as false, as in C#.
        string Known(string comparison) => nullable ? $"coalesce({comparison}, FALSE)" : comparison;

        // Whether the column's value is in the list, as C#'s Contains (the resolvers' translation) says: an empty list
        // holds nothing, and a null in it matches a null value. Null (decline) for items of a type it does not know.
        string? InList(IEnumerable list)
        {
            var items = list.Cast<object?>().Select(item => item is DateTime time ? (object?)ToUtc(time) : Stored(item)).ToArray();
            var values = items.OfType<object>().ToArray();
            object? array = values switch
            {
                [] => null,
                _ when values.All(v => v is string) => values.Cast<string>().ToArray(),
                _ when values.All(v => v is DateTime) => values.Cast<DateTime>().ToArray(),
                _ when values.All(v => v is int) => values.Cast<int>().ToArray(),
                _ => values,
            };
            // Not "is object[]": a string[] is one too (array covariance).
            if (ReferenceEquals(array, values))
                return null;
            var parts = new List<string>();
            if (array is not null)
                parts.Add(Known($"{column} = ANY({Parameter(array)})"));
            if (values.Length < items.Length)
                parts.Add($"{column} IS NULL");
            return parts.Count switch
            {
                0 => "FALSE",
                1 => parts[0],
                _ => $"({string.Join(" OR ", parts)})",
            };
        }
    }

    /// <summary>Enums as the database stores them (their names).</summary>
    private static object? Stored(object? value) => value is Enum e ? e.ToString() : value;

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private bool IsArticleTags(LambdaExpression selector) =>
        selector.Body is MethodCallExpression { Method.Name: nameof(Enumerable.Select), Arguments: [MemberExpression { Member.Name: nameof(Article.ArticleTags) }, _] };

    private static bool IsNullable(IEntityType entity, LambdaExpression selector) =>
        (selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body) is MemberExpression member
        && entity.FindProperty(member.Member.Name)?.IsNullable != false;

    private string? ColumnOf(IEntityType entity, LambdaExpression selector, string alias)
    {
        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        return body is MemberExpression { Expression: ParameterExpression } member && entity.FindProperty(member.Member.Name) is { } property
            ? $"{alias}.{Quote(property.GetColumnName())}"
            : null;
    }

    private string Parameter(object value)
    {
        Parameters.Add(value);
        return $"${Parameters.Count}";
    }

    private string Alias(string prefix) => $"{prefix}{aliases++}";

    private static string Table(IEntityType entity) => Quote(entity.GetTableName()!);

    private static string Column(IEntityType entity, string property) => Quote(entity.FindProperty(property)!.GetColumnName());

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>GraphQL names are letters, digits and underscores, so they are safe as SQL literals.</summary>
    private static string Literal(string name) => $"'{name.Replace("'", "''", StringComparison.Ordinal)}'";

    private static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    private static IGraphType Unwrap(IGraphType type)
    {
        while (type is NonNullGraphType or ListGraphType)
            type = type is NonNullGraphType nonNull ? nonNull.ResolvedType! : ((ListGraphType)type).ResolvedType!;
        return type;
    }
}
