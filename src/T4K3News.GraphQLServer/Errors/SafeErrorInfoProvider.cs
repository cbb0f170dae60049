using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace T4K3News.GraphQLServer;

/// <summary>
/// Bugs and outages reach clients as INTERNAL_SERVER_ERROR without exception details, except in Development. Outside it
/// an error carries its one documented <c>code</c>, not GraphQL.NET's <c>codes</c> list, which adds codes made from the
/// names of the .NET exceptions behind it (FORMAT, OVERFLOW for a variable that does not convert).
/// </summary>
public sealed class SafeErrorInfoProvider(IWebHostEnvironment environment)
    : ErrorInfoProvider(new ErrorInfoProviderOptions
    {
        ExposeExceptionDetails = environment.IsDevelopment(),
        ExposeCodes = environment.IsDevelopment(),
        ExposeData = false,
    })
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (OwnCode(executionError) is { } code)
            info.Extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError is UnhandledError && !environment.IsDevelopment())
        {
            info.Message = "An unexpected error occurred; it has been logged.";
            info.Extensions = new Dictionary<string, object?> { ["code"] = ErrorCodes.InternalError };
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
