using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace T4K3News.Tests.Webhooks;

/// <summary>What a receiver got: the body as posted and the Standard Webhooks headers.</summary>
public sealed record ReceivedWebhook(string Body, IHeaderDictionary Headers)
{
    public string Id => Headers["webhook-id"].ToString();

    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

    /// <summary>
    /// Whether any of the header's space-separated signatures is this secret's HMAC of "id.timestamp.body", as the
    /// Standard Webhooks spec has receivers check (the StandardWebhooks package's Verify looks at the first one only,
    /// and at the timestamp against the real clock, which the tests move).
    /// </summary>
    public bool IsSignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = System.Text.Encoding.UTF8.GetBytes($"{Headers["webhook-id"]}.{Headers["webhook-timestamp"]}.{Body}");
        var expected = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, signed));
        return Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(expected);
    }
}

/// <summary>A webhook receiver on a loopback port of its own (real Kestrel), answering with the status the test chooses.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>The status for the n-th request (1-based); 200 unless set.</summary>
    public Func<int, HttpStatusCode> Answer { get; set; } = _ => HttpStatusCode.OK;

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Answers wait for this too (after the delay): a receiver that hangs until the test lets it go.</summary>
    public Task Held { get; set; } = Task.CompletedTask;

    /// <summary>The Location header of every answer, for a receiver that redirects.</summary>
    public string? Location { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => received.ToArray();

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            receiver.received.Enqueue(new ReceivedWebhook(body, headers));
            if (receiver.Delay > TimeSpan.Zero)
                await Task.Delay(receiver.Delay);
            await receiver.Held;
            if (receiver.Location is { } location)
                context.Response.Headers.Location = location;
            context.Response.StatusCode = (int)receiver.Answer(receiver.received.Count);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single() + "/hook";
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (or fails after the timeout).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} webhook request(s), got {received.Count}.");
            await Task.Delay(50);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
