namespace T4K3News.Api.GraphQL;

/// <summary>The <c>extensions.code</c> values this server sets itself (GraphQL.NET adds its own for syntax and validation errors); all are listed in the README.</summary>
public static class ErrorCodes
{
    public const string PageSizeTooLarge = "PAGE_SIZE_TOO_LARGE";
    public const string InvalidPagingArguments = "INVALID_PAGING_ARGUMENTS";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string InvalidFilter = "INVALID_FILTER";
    public const string InvalidId = "INVALID_ID";
    public const string RequestMalformed = "REQUEST_MALFORMED";
    public const string QueryMissing = "QUERY_MISSING";
    public const string SyntaxError = "SYNTAX_ERROR";
    public const string OperationNotFound = "OPERATION_NOT_FOUND";
    public const string MutationOverGet = "MUTATION_OVER_GET_NOT_ALLOWED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string InternalError = "INTERNAL_SERVER_ERROR";
}
