namespace T4K3News.Tests.Infrastructure;

/// <summary>The real time, moved forward on demand, so that scheduled publishing can be watched without waiting.</summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}
