using T4K3News.GraphQLServer;

namespace T4K3News.Api.Webhooks;

public static class WebhookServices
{
    /// <summary>Webhook settings, the delivery worker and the due-event scheduler (one of each per instance).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxAttempts >= 1 && o.RetryBaseDelay >= TimeSpan.Zero && o.PollInterval > TimeSpan.Zero
                && o.DueCheckInterval > TimeSpan.Zero && o.MaxConcurrentDeliveries >= 1 && o.MaxWebhooks >= 0 && o.RetentionDays >= 1,
                "Webhooks: Timeout, PollInterval and DueCheckInterval are positive; MaxAttempts, MaxConcurrentDeliveries and RetentionDays at least 1.")
            .ValidateOnStart();
        services.AddSingleton<WebhookSignals>();
        services.AddSingleton<HousekeepingDatabase>();
        services.AddHostedService<WebhookDeliveryWorker>();
        services.AddHostedService<DueEventScheduler>();
        services.AddNode(WebhookType.TypeName, WebhookQueries.LoadNode);
        services.AddNode(WebhookDeliveryType.TypeName, WebhookQueries.LoadDeliveryNode);
        return services;
    }
}
