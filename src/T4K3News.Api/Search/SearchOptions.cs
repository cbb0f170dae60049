namespace T4K3News.Api.Search;

/// <summary>Full-text search: how texts are split into words, and what a client may ask.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>The PostgreSQL text-search configuration (stemming and stop words); changing it re-indexes every article at start-up.</summary>
    public string TextSearchConfiguration { get; set; } = "english";

    /// <summary>The longest query <c>searchArticles</c> accepts, in characters.</summary>
    public int MaxQueryLength { get; set; } = 200;

    /// <summary>The most tags <c>tagFacets</c> lists (those on most matches first).</summary>
    public int MaxTagFacets { get; set; } = 50;

    /// <summary>The largest <c>first</c> of <c>Article.similarArticles</c>.</summary>
    public int MaxSimilarArticles { get; set; } = 20;
}

public static class SearchErrorCodes
{
    public const string QueryEmpty = "SEARCH_QUERY_EMPTY";
    public const string QueryTooLong = "SEARCH_QUERY_TOO_LONG";
    public const string QueryNegationOnly = "SEARCH_QUERY_NEGATION_ONLY";
}
