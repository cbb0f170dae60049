using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Bugs and outages reach clients as INTERNAL_SERVER_ERROR with a generic message, their exception only in the log.
/// An error carries its one documented <c>code</c>, not GraphQL.NET's <c>codes</c> list, which adds codes made from
/// the names of the .NET exceptions behind it (FORMAT, OVERFLOW for a variable that does not convert). Development
/// adds exactly two members to every error's extensions, and changes nothing else, so a front end sees the same codes
/// there: <c>details</c> (the exception as text, with its stack trace) and GraphQL.NET's <c>codes</c>.
/// </summary>
public sealed class SafeErrorInfoProvider(IWebHostEnvironment environment)
    : ErrorInfoProvider(new ErrorInfoProviderOptions
    {
        ExposeExceptionDetails = environment.IsDevelopment(),
        ExposeCodes = environment.IsDevelopment(),
        ExposeData = false,
    })
{
    private const string UnexpectedMessage = "An unexpected error occurred; it has been logged.";

    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        var code = OwnCode(executionError);
        if (code is null && executionError is UnhandledError)
        {
            code = ErrorCodes.InternalError;
            info.Message = UnexpectedMessage;
        }

        if (code is not null)
        {
            var extensions = new Dictionary<string, object?> { ["code"] = code };
            foreach (var developmentOnly in (string[])["codes", "details"])
            {
                if (info.Extensions?.TryGetValue(developmentOnly, out var value) == true)
                    extensions[developmentOnly] = value;
            }

            info.Extensions = extensions;
        }

        return info;
    }

    /// <summary>GraphQL.NET's limit errors, given the codes the README documents.</summary>
    private static string? OwnCode(ExecutionError error) => error switch
    {
        GraphQL.Validation.Errors.Custom.ComplexityError when error.Message.Contains("nested", StringComparison.OrdinalIgnoreCase) => ErrorCodes.MaxDepthExceeded,
        GraphQL.Validation.Errors.Custom.ComplexityError => ErrorCodes.MaxComplexityExceeded,
        TimeoutError => ErrorCodes.RequestTimeout,
        _ when error.GetType().Name.Contains("Introspection", StringComparison.Ordinal) => ErrorCodes.IntrospectionDisabled,
        _ => null,
    };
}
