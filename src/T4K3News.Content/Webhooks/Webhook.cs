using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace T4K3News.Content.Webhooks;

/// <summary>What a webhook can be told about. The names are the <c>type</c> of the JSON a receiver gets.</summary>
public enum WebhookEvent
{
    /// <summary>An article became visible to readers: published now, or a scheduled one whose time came.</summary>
    ArticlePublished,
    /// <summary>An article readers can see was changed (and still is visible).</summary>
    ArticleUpdated,
    /// <summary>An article readers could see is no longer visible: back to draft, or rescheduled for later.</summary>
    ArticleUnpublished,
    /// <summary>An article was archived.</summary>
    ArticleArchived,
    /// <summary>An article was deleted for good.</summary>
    ArticleDeleted,
    /// <summary>A tag was created, renamed, merged away or deleted.</summary>
    TagChanged,
}

public static class WebhookLimits
{
    public const int Url = 2000;
    public const int Description = 500;
    public const int Secret = 100;
    public const int EventName = 40;
    public const int LastError = 500;
}

/// <summary>An endpoint that is told about the events it subscribed to, signed with its own secret.</summary>
public sealed class Webhook
{
    public int Id { get; set; }

    /// <summary>Where events are posted (http or https).</summary>
    [MaxLength(WebhookLimits.Url)]
    public string Url { get; set; } = "";

    /// <summary>The events this endpoint receives.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>What the endpoint is for, as the admin who made it wrote.</summary>
    [MaxLength(WebhookLimits.Description)]
    public string? Description { get; set; }

    /// <summary>
    /// The signing secret in Standard Webhooks form (<c>whsec_</c> + base64). Kept as it is, not hashed: every delivery
    /// is signed with it (HMAC needs the key itself). Shown to the admin once, at creation; never read out again.
    /// </summary>
    [MaxLength(WebhookLimits.Secret)]
    public string Secret { get; set; } = "";

    /// <summary>
    /// The secret before the last rotation: deliveries are signed with it beside <see cref="Secret"/> until
    /// <see cref="PreviousSecretExpiresAt"/>, so that a receiver can switch to the new one without refusing a delivery.
    /// </summary>
    [MaxLength(WebhookLimits.Secret)]
    public string? PreviousSecret { get; set; }

    public DateTime? PreviousSecretExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted now).</summary>
    Pending,
    /// <summary>The endpoint answered with a 2xx status.</summary>
    Delivered,
    /// <summary>Every attempt failed; only a redelivery sends it again.</summary>
    Dead,
}

/// <summary>
/// One event for one webhook: the outbox row, written in the transaction of the change it tells about, and then
/// the record of its attempts.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    public int WebhookId { get; set; }

    /// <summary>The <c>webhook-id</c> header: the same on every attempt, so receivers can drop repeats.</summary>
    [MaxLength(WebhookLimits.EventName)]
    public string MessageId { get; set; } = "";

    [MaxLength(WebhookLimits.EventName)]
    public string EventType { get; set; } = "";

    /// <summary>The body posted, fixed when the event happened (its bytes are what is signed).</summary>
    public string Payload { get; set; } = "";

    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt may start; while an attempt runs, the end of its lease.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The HTTP status of the last answer; null when there was none (refused, timed out, unreachable).</summary>
    public int? LastResponseCode { get; set; }

    /// <summary>Why the last attempt failed, when it did.</summary>
    [MaxLength(WebhookLimits.LastError)]
    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DeliveredAt { get; set; }
}

/// <summary>
/// A publication still to be announced: written when an article is scheduled, claimed once (by the due-event
/// scheduler when its time comes, or by a write to the article after that time) and then gone.
/// </summary>
public sealed class ScheduledPublication
{
    public int ArticleId { get; set; }

    public DateTime DueAt { get; set; }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> webhook) => webhook.Property(w => w.Events).HasColumnType("text[]");
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        delivery.HasIndex(d => new { d.WebhookId, d.Id });
        delivery.HasIndex(d => d.CreatedAt);
        delivery.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ScheduledPublicationConfiguration : IEntityTypeConfiguration<ScheduledPublication>
{
    public void Configure(EntityTypeBuilder<ScheduledPublication> scheduled)
    {
        scheduled.HasKey(s => s.ArticleId);
        scheduled.HasIndex(s => s.DueAt);
        scheduled.HasOne<Articles.Article>().WithMany().HasForeignKey(s => s.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
