using GraphQL.Types;
using T4K3News.Api.Editing;
using T4K3News.Content.Editing;
using T4K3News.Content.Webhooks;
using T4K3News.GraphQLServer;
using T4K3News.GraphQLServer.Filtering;

namespace T4K3News.Api.Webhooks;

public sealed class WebhookEventType : EnumerationGraphType<WebhookEvent>
{
    public WebhookEventType()
    {
        Name = "WebhookEvent";
        Description = "What a webhook can be told about; the name is the \"type\" of the JSON it receives.";
    }

    private static readonly Dictionary<string, WebhookEvent> ByName = Enum.GetValues<WebhookEvent>().ToDictionary(WebhookOutbox.Name);

    public static WebhookEvent Parse(string name) => ByName[name];
}

public sealed class WebhookDeliveryStatusType : EnumerationGraphType<WebhookDeliveryStatus>
{
    public WebhookDeliveryStatusType() => Name = "WebhookDeliveryStatus";
}

public sealed class WebhookType : AutoRegisteringObjectGraphType<Webhook>
{
    public const string TypeName = "Webhook";

    public WebhookType() : base(w => w.Id, w => w.Secret, w => w.PreviousSecret, w => w.Events)
    {
        this.ImplementNode(TypeName, w => w.Id);
        Description = "An endpoint told about the events it subscribed to (admins only). Its secret is shown once, by createWebhook.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookEventType>>>>("events")
            .Description("The events this endpoint receives.")
            .Resolve(c => c.Source.Events.Select(WebhookEventType.Parse).ToList());
    }
}

public sealed class WebhookDeliveryType : AutoRegisteringObjectGraphType<WebhookDelivery>
{
    public const string TypeName = "WebhookDelivery";

    public WebhookDeliveryType() : base(d => d.Id, d => d.WebhookId, d => d.Payload, d => d.EventType, d => d.Status)
    {
        this.ImplementNode(TypeName, d => checked((int)d.Id));
        Description = "One event sent (or to be sent) to one webhook, with its attempts (admins only).";
        Field<NonNullGraphType<WebhookEventType>>("event").Resolve(c => WebhookEventType.Parse(c.Source.EventType));
        Field<NonNullGraphType<WebhookDeliveryStatusType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<IdGraphType>>("webhookId").Resolve(c => GlobalId.Encode(WebhookType.TypeName, c.Source.WebhookId));
        Field<NonNullGraphType<StringGraphType>>("payload").Description("The JSON body, exactly as posted.").Resolve(c => c.Source.Payload);
    }
}

public sealed class WebhookDeliveriesEdgeType() : EdgeType<WebhookDelivery, WebhookDeliveryType>("WebhookDeliveriesEdge");

public sealed class WebhookDeliveriesConnectionType() : ConnectionType<WebhookDelivery, WebhookDeliveryType, WebhookDeliveriesEdgeType>("WebhookDeliveriesConnection");

public static class WebhookDeliveryFiltering
{
    public static readonly EntityFilter<WebhookDelivery> Filter = new EntityFilter<WebhookDelivery>()
        .Enum<WebhookDeliveryStatus, WebhookDeliveryStatusOperationFilterInputType>("status", d => d.Status);
}

public sealed class WebhookDeliveryStatusOperationFilterInputType()
    : EnumOperationFilterInputType<WebhookDeliveryStatusType>("WebhookDeliveryStatusOperationFilterInput");

public sealed class WebhookDeliveryFilterInputType()
    : FilterInputType<WebhookDelivery>("WebhookDeliveryFilterInput", WebhookDeliveryFiltering.Filter, typeof(WebhookDeliveryFilterInputType));

/// <summary>There are as many webhooks as <c>Webhooks:MaxWebhooks</c> allows already.</summary>
public sealed record WebhookLimitError(int Limit) : EditError($"There are {Limit} webhooks already, the most allowed (Webhooks:MaxWebhooks); delete one first.");

public sealed class WebhookLimitErrorType : ErrorType<WebhookLimitError>
{
    public WebhookLimitErrorType() : base("WebhookLimitError", "There are as many webhooks as allowed already.") =>
        Field<NonNullGraphType<IntGraphType>>("limit").Resolve(c => c.Source.Limit);
}

public sealed record CreateWebhookInput
{
    public string Url { get; init; } = "";
    public List<WebhookEvent> Events { get; init; } = [];
    public string? Description { get; init; }
}

public sealed record UpdateWebhookInput
{
    public string Id { get; init; } = "";
    public string? Url { get; init; }
    public List<WebhookEvent>? Events { get; init; }
    public string? Description { get; init; }
}

public sealed record DeleteWebhookInput
{
    public string Id { get; init; } = "";
}

public sealed record RotateWebhookSecretInput
{
    public string Id { get; init; } = "";
    public int PreviousSecretHours { get; init; } = WebhookSecrets.DefaultOverlapHours;
}

public sealed record RedeliverWebhookInput
{
    public string DeliveryId { get; init; } = "";
}

public sealed class CreateWebhookInputType : InputObjectGraphType<CreateWebhookInput>
{
    public CreateWebhookInputType()
    {
        Name = "CreateWebhookInput";
        Field<NonNullGraphType<StringGraphType>>("url").Description($"An http or https URL (at most {WebhookLimits.Url} characters) on a public network.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookEventType>>>>("events").Description("At least one; repeats count once.");
        Field<StringGraphType>("description").Description($"At most {WebhookLimits.Description} characters.");
    }
}

public sealed class UpdateWebhookInputType : InputObjectGraphType<UpdateWebhookInput>
{
    public UpdateWebhookInputType()
    {
        Name = "UpdateWebhookInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("url").Description("Null leaves it as it is.");
        Field<ListGraphType<NonNullGraphType<WebhookEventType>>>("events").Description("Replaced whole when given.");
        Field<StringGraphType>("description").Description("Null leaves it as it is; an empty string clears it.");
    }
}

public sealed class DeleteWebhookInputType : InputObjectGraphType<DeleteWebhookInput>
{
    public DeleteWebhookInputType()
    {
        Name = "DeleteWebhookInput";
        Field<NonNullGraphType<IdGraphType>>("id");
    }
}

public sealed class RotateWebhookSecretInputType : InputObjectGraphType<RotateWebhookSecretInput>
{
    public RotateWebhookSecretInputType()
    {
        Name = "RotateWebhookSecretInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<IntGraphType>("previousSecretHours").DefaultValue(WebhookSecrets.DefaultOverlapHours)
            .Description($"How long deliveries stay signed with the old secret too, so the receiver can switch without refusing one: 0 (not at all) to {WebhookSecrets.MaxOverlapHours}.");
    }
}

public sealed class RedeliverWebhookInputType : InputObjectGraphType<RedeliverWebhookInput>
{
    public RedeliverWebhookInputType()
    {
        Name = "RedeliverWebhookInput";
        Field<NonNullGraphType<IdGraphType>>("deliveryId");
    }
}

public sealed class CreateWebhookErrorType() : ErrorUnionType("CreateWebhookError", typeof(ValidationErrorType), typeof(WebhookLimitErrorType));

public sealed class UpdateWebhookErrorType() : ErrorUnionType("UpdateWebhookError", typeof(ValidationErrorType), typeof(NotFoundErrorType));

public sealed class DeleteWebhookErrorType() : ErrorUnionType("DeleteWebhookError", typeof(NotFoundErrorType));

public sealed class RotateWebhookSecretErrorType() : ErrorUnionType("RotateWebhookSecretError", typeof(ValidationErrorType), typeof(NotFoundErrorType));

public sealed class RedeliverWebhookErrorType() : ErrorUnionType("RedeliverWebhookError", typeof(NotFoundErrorType));

/// <summary>A webhook just created, with its secret: the only time the secret leaves the server.</summary>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);

public sealed class CreateWebhookPayloadType : ObjectGraphType<MutationPayload<CreatedWebhook>>
{
    public CreateWebhookPayloadType()
    {
        Name = "CreateWebhookPayload";
        Field<WebhookType>("webhook").Resolve(c => c.Source.Value?.Webhook);
        Field<StringGraphType>("secret")
            .Description("The signing secret (whsec_...), for verifying the webhook-signature header. It cannot be shown again.")
            .Resolve(c => c.Source.Value?.Secret);
        Field<ListGraphType<NonNullGraphType<CreateWebhookErrorType>>>("errors").Resolve(c => c.Source.Errors);
    }
}

public sealed class RotateWebhookSecretPayloadType : ObjectGraphType<MutationPayload<CreatedWebhook>>
{
    public RotateWebhookSecretPayloadType()
    {
        Name = "RotateWebhookSecretPayload";
        Field<WebhookType>("webhook").Resolve(c => c.Source.Value?.Webhook);
        Field<StringGraphType>("secret")
            .Description("The new signing secret (whsec_...). It cannot be shown again.")
            .Resolve(c => c.Source.Value?.Secret);
        Field<ListGraphType<NonNullGraphType<RotateWebhookSecretErrorType>>>("errors").Resolve(c => c.Source.Errors);
    }
}

public sealed class UpdateWebhookPayloadType() : PayloadType<Webhook, WebhookType, UpdateWebhookErrorType>("UpdateWebhookPayload", "webhook");

public sealed class DeleteWebhookPayloadType() : PayloadType<Webhook, WebhookType, DeleteWebhookErrorType>("DeleteWebhookPayload", "webhook");

public sealed class RedeliverWebhookPayloadType() : PayloadType<WebhookDelivery, WebhookDeliveryType, RedeliverWebhookErrorType>("RedeliverWebhookPayload", "delivery");
