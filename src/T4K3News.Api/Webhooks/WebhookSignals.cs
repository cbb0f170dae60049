using System.Threading.Channels;

namespace T4K3News.Api.Webhooks;

/// <summary>Wake-ups from the change feed: new deliveries in the outbox, and article changes (which may change the schedule).</summary>
public sealed class WebhookSignals
{
    public Signal Deliveries { get; } = new();

    public Signal Schedule { get; } = new();

    public sealed class Signal
    {
        private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public void Set() => channel.Writer.TryWrite(true);

        /// <summary>Waits until set or <paramref name="timeout"/> passes, and clears it.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);
            try
            {
                await channel.Reader.WaitToReadAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout: time to look again anyway.
            }

            channel.Reader.TryRead(out _);
        }
    }
}
