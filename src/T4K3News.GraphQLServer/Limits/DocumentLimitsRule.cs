using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace T4K3News.GraphQLServer.Limits;

/// <summary>Refuses documents with too many aliases or field selections before anything runs; depth and cost are GraphQL.NET's complexity analyzer's.</summary>
public sealed class DocumentLimitsRule(IOptions<GraphQLServerOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var (fields, aliases) = (0, 0);
        var pending = new Stack<ASTNode>(context.Document.Definitions);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            var selections = node switch
            {
                GraphQLOperationDefinition operation => operation.SelectionSet.Selections,
                GraphQLFragmentDefinition fragment => fragment.SelectionSet.Selections,
                GraphQLField field => field.SelectionSet?.Selections,
                GraphQLInlineFragment inline => inline.SelectionSet.Selections,
                _ => null,
            };
            if (node is GraphQLField counted)
            {
                fields++;
                if (counted.Alias is not null)
                    aliases++;
            }

            foreach (var selection in selections ?? [])
                pending.Push(selection);
        }

        var limits = options.Value;
        if (aliases > limits.MaxAliases)
            context.ReportError(new DocumentLimitError(context.Document, ErrorCodes.MaxAliasesExceeded, $"The document has {aliases} aliases; at most {limits.MaxAliases} are allowed."));
        else if (fields > limits.MaxFields)
            context.ReportError(new DocumentLimitError(context.Document, ErrorCodes.MaxFieldsExceeded, $"The document selects {fields} fields; at most {limits.MaxFields} are allowed."));
        return default;
    }
}

/// <summary>GraphQL.NET's own rule, applied only while introspection is switched off.</summary>
public sealed class IntrospectionSwitchRule(IOptions<GraphQLServerOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        options.Value.EnableIntrospection
            ? default
            : GraphQL.Validation.Rules.Custom.NoIntrospectionValidationRule.Instance.GetPreNodeVisitorAsync(context);
}

public sealed class DocumentLimitError : ValidationError
{
    public DocumentLimitError(GraphQLDocument document, string code, string message) : base(document.Source, number: null, message) => Code = code;
}
