namespace T4K3News.GraphQLServer;

/// <summary>The <c>extensions.code</c> values this server sets itself (GraphQL.NET adds its own for syntax and validation errors); all are listed in the README.</summary>
public static class ErrorCodes
{
    public const string PageSizeTooLarge = "PAGE_SIZE_TOO_LARGE";
    public const string InvalidPagingArguments = "INVALID_PAGING_ARGUMENTS";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string InvalidFilter = "INVALID_FILTER";
    public const string InvalidId = "INVALID_ID";
    public const string TooManyIds = "TOO_MANY_IDS";
    public const string InputTooLarge = "INPUT_TOO_LARGE";
    public const string InvalidText = "INVALID_TEXT";
    public const string RequestMalformed = "REQUEST_MALFORMED";
    public const string QueryMissing = "QUERY_MISSING";
    public const string SyntaxError = "SYNTAX_ERROR";
    public const string MutationOverGet = "MUTATION_OVER_GET_NOT_ALLOWED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string InternalError = "INTERNAL_SERVER_ERROR";
    public const string MaxDepthExceeded = "MAX_DEPTH_EXCEEDED";
    public const string MaxComplexityExceeded = "MAX_COMPLEXITY_EXCEEDED";
    public const string MaxAliasesExceeded = "MAX_ALIASES_EXCEEDED";
    public const string MaxFieldsExceeded = "MAX_FIELDS_EXCEEDED";
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";
    public const string BodyTooLarge = "REQUEST_BODY_TOO_LARGE";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string RequestTimeout = "REQUEST_TIMEOUT";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string RateLimited = "RATE_LIMITED";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string PersistedQueryHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";
    public const string PersistedQueryNotAllowed = "PERSISTED_QUERY_NOT_ALLOWED";
    public const string PersistedQueriesNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
    public const string SubscriptionOverHttp = "SUBSCRIPTION_OVER_HTTP_NOT_SUPPORTED";
    public const string SubscriptionsUnavailable = "SUBSCRIPTIONS_UNAVAILABLE";
    public const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";
}
