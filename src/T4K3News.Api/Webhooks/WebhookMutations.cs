using System.Security.Cryptography;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using T4K3News.Api.Auth;
using T4K3News.Api.Editing;
using T4K3News.Content;
using T4K3News.Content.Editing;
using T4K3News.Content.Webhooks;

namespace T4K3News.Api.Webhooks;

/// <summary>How long an old signing secret may keep signing beside a new one after <c>rotateWebhookSecret</c>.</summary>
public static class WebhookSecrets
{
    public const int DefaultOverlapHours = 24;
    public const int MaxOverlapHours = 168;
}

/// <summary>Managing webhooks and redelivering (admins only), in the mutation conventions.</summary>
public static class WebhookMutations
{
    /// <summary>Random bytes in a secret: Standard Webhooks asks for 24 to 64.</summary>
    private const int SecretBytes = 32;

    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<CreateWebhookPayloadType>("createWebhook")
            .Description("Adds a webhook; the payload's secret is the only time it is shown (admins only).")
            .Argument<NonNullGraphType<CreateWebhookInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreateWebhookInput>("input");
                return await context.RunAsync(Roles.Admin, StoredText.Clip(input.Url, 300), async _ =>
                {
                    var (settings, now) = Settings(context);
                    var errors = await ValidateAsync(input.Url, input.Events, input.Description, settings, context.CancellationToken);
                    if (errors.Count > 0)
                        return EditResult<CreatedWebhook>.Failure(errors);

                    await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                    await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
                    // One creation at a time, so that two at once cannot both pass the count.
                    await db.Database.ExecuteSqlAsync($"LOCK TABLE \"Webhooks\" IN SHARE ROW EXCLUSIVE MODE", context.CancellationToken);
                    if (await db.Webhooks.CountAsync(context.CancellationToken) >= settings.MaxWebhooks)
                        return EditResult<CreatedWebhook>.Failure(new WebhookLimitError(settings.MaxWebhooks));
                    var secret = NewSecret();
                    var webhook = new Webhook
                    {
                        Url = input.Url.Trim(),
                        Events = Names(input.Events),
                        Description = Description(input.Description),
                        Secret = secret,
                        CreatedAt = now,
                        UpdatedAt = now,
                    };
                    db.Webhooks.Add(webhook);
                    await db.SaveChangesAsync(context.CancellationToken);
                    await transaction.CommitAsync(context.CancellationToken);
                    return EditResult<CreatedWebhook>.Success(new CreatedWebhook(webhook, secret));
                });
            });

        mutation.Field<UpdateWebhookPayloadType>("updateWebhook")
            .Description("Changes a webhook's URL, events or description; what is not given stays (admins only).")
            .Argument<NonNullGraphType<UpdateWebhookInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<UpdateWebhookInput>("input");
                return await context.RunAsync(Roles.Admin, input.Id, async _ =>
                {
                    if (!MutationRunner.TryDecodeId(input.Id, WebhookType.TypeName, out var id))
                        return EditResult<Webhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    var (settings, now) = Settings(context);
                    await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                    var webhook = await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id, context.CancellationToken);
                    if (webhook is null)
                        return EditResult<Webhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    var url = input.Url ?? webhook.Url;
                    var errors = await ValidateAsync(url, input.Events ?? [.. webhook.Events.Select(WebhookEventType.Parse)],
                        input.Description, settings, context.CancellationToken, checkAddress: input.Url is not null);
                    if (errors.Count > 0)
                        return EditResult<Webhook>.Failure(errors);

                    webhook.Url = url.Trim();
                    if (input.Events is not null)
                        webhook.Events = Names(input.Events);
                    if (input.Description is not null)
                        webhook.Description = Description(input.Description);
                    webhook.UpdatedAt = now;
                    await db.SaveChangesAsync(context.CancellationToken);
                    return EditResult<Webhook>.Success(webhook);
                });
            });

        mutation.Field<RotateWebhookSecretPayloadType>("rotateWebhookSecret")
            .Description("Gives a webhook a new signing secret, shown only in the payload; the old one keeps signing beside it for previousSecretHours (admins only).")
            .Argument<NonNullGraphType<RotateWebhookSecretInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RotateWebhookSecretInput>("input");
                return await context.RunAsync(Roles.Admin, input.Id, async _ =>
                {
                    if (!MutationRunner.TryDecodeId(input.Id, WebhookType.TypeName, out var id))
                        return EditResult<CreatedWebhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    if (input.PreviousSecretHours is < 0 or > WebhookSecrets.MaxOverlapHours)
                        return EditResult<CreatedWebhook>.Failure(new ValidationError("previousSecretHours",
                            $"The old secret may keep signing for 0 to {WebhookSecrets.MaxOverlapHours} hours."));
                    var (_, now) = Settings(context);
                    await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                    var webhook = await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id, context.CancellationToken);
                    if (webhook is null)
                        return EditResult<CreatedWebhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    var secret = NewSecret();
                    // Rotating again within an overlap ends the older overlap: only the secret just replaced keeps signing.
                    webhook.PreviousSecret = input.PreviousSecretHours == 0 ? null : webhook.Secret;
                    webhook.PreviousSecretExpiresAt = input.PreviousSecretHours == 0 ? null : now.AddHours(input.PreviousSecretHours);
                    webhook.Secret = secret;
                    webhook.UpdatedAt = now;
                    await db.SaveChangesAsync(context.CancellationToken);
                    return EditResult<CreatedWebhook>.Success(new CreatedWebhook(webhook, secret));
                });
            });

        mutation.Field<DeleteWebhookPayloadType>("deleteWebhook")
            .Description("Deletes a webhook and its deliveries, sent or not (admins only).")
            .Argument<NonNullGraphType<DeleteWebhookInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<DeleteWebhookInput>("input");
                return await context.RunAsync(Roles.Admin, input.Id, async _ =>
                {
                    if (!MutationRunner.TryDecodeId(input.Id, WebhookType.TypeName, out var id))
                        return EditResult<Webhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                    var webhook = await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id, context.CancellationToken);
                    if (webhook is null)
                        return EditResult<Webhook>.Failure(MutationRunner.UnknownId(input.Id, "webhook"));
                    db.Webhooks.Remove(webhook);
                    await db.SaveChangesAsync(context.CancellationToken);
                    return EditResult<Webhook>.Success(webhook);
                });
            });

        mutation.Field<RedeliverWebhookPayloadType>("redeliverWebhook")
            .Description("Sends a delivery again, whatever became of it, with a fresh series of attempts and the same webhook-id (admins only).")
            .Argument<NonNullGraphType<RedeliverWebhookInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RedeliverWebhookInput>("input");
                return await context.RunAsync(Roles.Admin, input.DeliveryId, async _ =>
                {
                    if (!MutationRunner.TryDecodeId(input.DeliveryId, WebhookDeliveryType.TypeName, out var id))
                        return EditResult<WebhookDelivery>.Failure(MutationRunner.UnknownId(input.DeliveryId, "webhook delivery"));
                    var (_, now) = Settings(context);
                    await using var db = await Databases(context).CreateDbContextAsync(context.CancellationToken);
                    await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
                    var updated = await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(set => set
                        .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                        .SetProperty(d => d.Attempts, 0)
                        .SetProperty(d => d.NextAttemptAt, now)
                        .SetProperty(d => d.DeliveredAt, (DateTime?)null), context.CancellationToken);
                    if (updated == 0)
                        return EditResult<WebhookDelivery>.Failure(MutationRunner.UnknownId(input.DeliveryId, "webhook delivery"));
                    // As this left it: a worker woken by the commit may be sending it already.
                    var delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, context.CancellationToken);
                    await db.Database.ExecuteSqlAsync($"SELECT pg_notify({WebhookOutbox.Channel}, '')", context.CancellationToken);
                    await transaction.CommitAsync(context.CancellationToken);
                    return EditResult<WebhookDelivery>.Success(delivery);
                });
            });
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    private static async Task<List<EditError>> ValidateAsync(
        string url, List<WebhookEvent> events, string? description, WebhookOptions settings, CancellationToken cancellationToken, bool checkAddress = true)
    {
        var errors = new List<EditError>();
        url = url.Trim();
        if (url.Length == 0)
            errors.Add(new ValidationError("url", "Required: it cannot be empty."));
        else if (StoredText.Problem(url, WebhookLimits.Url) is { } problem)
            errors.Add(new ValidationError("url", problem));
        else if (checkAddress && await WebhookAddresses.ProblemAsync(url, settings.AllowPrivateNetworks, cancellationToken) is { } refused)
            errors.Add(new ValidationError("url", refused));
        if (events.Count == 0)
            errors.Add(new ValidationError("events", "At least one event."));
        if (description is not null && StoredText.Problem(description.Trim(), WebhookLimits.Description) is { } badDescription)
            errors.Add(new ValidationError("description", badDescription));
        return errors;
    }

    private static List<string> Names(IEnumerable<WebhookEvent> events) => events.Distinct().Order().Select(WebhookOutbox.Name).ToList();

    private static string? Description(string? description) => string.IsNullOrWhiteSpace(description) ? null : description.Trim();

    private static (WebhookOptions Settings, DateTime Now) Settings(IResolveFieldContext context) => (
        context.RequestServices!.GetRequiredService<IOptions<WebhookOptions>>().Value,
        context.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    private static IDbContextFactory<ContentDbContext> Databases(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IDbContextFactory<ContentDbContext>>();
}
