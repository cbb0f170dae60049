using System.Collections;
using T4K3News.Content.Articles;

namespace T4K3News.Api.Articles;

/// <summary>
/// SCHEDULED is reported, never stored: it is a published article whose time has not come. A client's status filter is
/// rewritten into the stored status and the publication time before the read planner or EF Core sees it, so both
/// translate the same conditions. A filter on PUBLISHED then means published and due.
/// </summary>
public static class ScheduledStatusFilter
{
    /// <summary>Stands for the request's time in a filter the read planner may keep and run again later.</summary>
    public static readonly object Now = new();

    private static readonly string Status = ArticleFields.NameOf(nameof(Article.Status));
    private static readonly string PublishedAt = ArticleFields.NameOf(nameof(Article.PublishedAt));

    /// <summary>The same filter with every status condition over the stored status and the publication time.</summary>
    public static object? Rewrite(object? where, object now)
    {
        if (where is not IDictionary<string, object?> fields)
            return where;
        var rest = new Dictionary<string, object?>(fields.Count);
        var conditions = new List<object?>();
        foreach (var (name, value) in fields)
        {
            if (name is "and" or "or" && value is IEnumerable parts and not string)
                rest[name] = parts.Cast<object?>().Select(part => Rewrite(part, now)).ToList();
            else if (name == Status && value is IDictionary<string, object?> operations)
                conditions.AddRange(operations.Select(operation => Condition(operation.Key, operation.Value, now)));
            else
                rest[name] = value;
        }

        if (conditions.Count == 0)
            return rest;
        conditions.Insert(0, rest);
        return new Dictionary<string, object?> { ["and"] = conditions };
    }

    // Anything else (a null, an empty list) stays as the client sent it, and is answered or refused as before.
    private static IDictionary<string, object?> Condition(string operation, object? operand, object now) => (operation, operand) switch
    {
        ("eq", ArticleStatus status) => Is(status, now),
        ("neq", ArticleStatus status) => IsNot(status, now),
        ("in", IEnumerable list) when Statuses(list) is { Count: > 0 } statuses => Any(statuses.Select(s => Is(s, now))),
        ("nin", IEnumerable list) when Statuses(list) is { Count: > 0 } statuses => All(statuses.Select(s => IsNot(s, now))),
        _ => Field(Status, operation, operand),
    };

    // "ngt" rather than "lte": a published article without a time counts as published (not scheduled) on both sides.
    private static IDictionary<string, object?> Is(ArticleStatus status, object now) => status switch
    {
        ArticleStatus.Scheduled => All([Field(Status, "eq", ArticleStatus.Published), Field(PublishedAt, "gt", now)]),
        ArticleStatus.Published => All([Field(Status, "eq", ArticleStatus.Published), Field(PublishedAt, "ngt", now)]),
        _ => Field(Status, "eq", status),
    };

    private static IDictionary<string, object?> IsNot(ArticleStatus status, object now) => status switch
    {
        ArticleStatus.Scheduled => Any([Field(Status, "neq", ArticleStatus.Published), Field(PublishedAt, "ngt", now)]),
        ArticleStatus.Published => Any([Field(Status, "neq", ArticleStatus.Published), Field(PublishedAt, "gt", now)]),
        _ => Field(Status, "neq", status),
    };

    private static List<ArticleStatus>? Statuses(IEnumerable list)
    {
        var items = list.Cast<object?>().ToList();
        return items.All(item => item is ArticleStatus) ? items.Cast<ArticleStatus>().Distinct().ToList() : null;
    }

    private static Dictionary<string, object?> Field(string name, string operation, object? operand) =>
        new() { [name] = new Dictionary<string, object?> { [operation] = operand } };

    private static Dictionary<string, object?> All(IEnumerable<object?> conditions) => new() { ["and"] = conditions.ToList() };

    private static Dictionary<string, object?> Any(IEnumerable<object?> conditions) => new() { ["or"] = conditions.ToList() };
}
