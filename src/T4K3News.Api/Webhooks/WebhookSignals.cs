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
        private volatile bool waiting;

        /// <summary>
        /// Whether the one waiting for this signal waits now and has taken every earlier wake-up: it has done its
        /// work since the last <see cref="Set"/>. What tests watch instead of sleeping.
        /// </summary>
        public bool IsIdle => waiting && channel.Reader.Count == 0;

        public void Set() => channel.Writer.TryWrite(true);

        /// <summary>Waits until set or <paramref name="timeout"/> passes, and clears it.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);
            waiting = true;
            try
            {
                await channel.Reader.WaitToReadAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout: time to look again anyway.
            }
            finally
            {
                waiting = false; // before the wake-up is taken, so it never looks idle with the work still to do
            }

            channel.Reader.TryRead(out _);
        }
    }
}
