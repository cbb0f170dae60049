namespace T4K3News.Api.Webhooks;

/// <summary>The <c>Webhooks</c> settings (README "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Lets webhooks point at loopback, link-local and private addresses (tests, local development).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, connecting to the end of the answer's headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a delivery is dead.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first failed attempt; each later wait is three times the one before.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker looks for due deliveries when no notification woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the scheduler looks for scheduled articles whose time came.</summary>
    public TimeSpan DueCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries one instance attempts at the same time.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 4;

    /// <summary>The most webhooks there may be.</summary>
    public int MaxWebhooks { get; set; } = 50;

    /// <summary>Delivered and dead deliveries older than this many days are deleted.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan RetryDelay(int attempt) => TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * Math.Pow(3, Math.Max(0, attempt - 1)), TimeSpan.FromDays(1).Ticks));
}
