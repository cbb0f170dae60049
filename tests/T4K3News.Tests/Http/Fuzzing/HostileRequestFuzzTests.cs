using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using T4K3News.Tests.Infrastructure;
using Xunit.Abstractions;

namespace T4K3News.Tests.Http.Fuzzing;

/// <summary>
/// Thousands of generated hostile requests against the real server running as its own process, so that a crash (a stack
/// overflow cannot be caught) shows as a dead process instead of killing the test host. Every request must get a clear
/// answer, and the server must stay alive, answering and within its memory bound. No answer to a reader may hold a word
/// that only unpublished articles have (<see cref="UnpublishedCanaries"/>). A crashed server is restarted and the
/// run goes on, so one run reports every kind of failure it meets, each with a request that shows it.
/// T4K3NEWS_FUZZ_SECONDS sets how long it sends (default 45); T4K3NEWS_FUZZ_SEED replays a run: each of the
/// <see cref="Workers"/> sends the same requests in the same order.
/// </summary>
public sealed partial class HostileRequestFuzzTests(ITestOutputHelper log)
{
    /// <summary>
    /// Resident memory the server may reach while under fire. It idles at ~200 MB and stays under 420 MB serving 50-article
    /// front pages or 1,000 sockets (README, Benchmark); a request that makes it hold far more is a memory-exhaustion attack.
    /// </summary>
    private const long MemoryBoundBytes = 1024L * 1024 * 1024;

    /// <summary>Concurrent senders: requests are mostly waiting on the wire, so a few keep two cores busy.</summary>
    private const int Workers = 3;

    private const int MaxRestarts = 8;
    private const int MaxBodyBytes = 262_144;        // GraphQL:MaxBodyBytes
    private const int MaxRequestLineBytes = 8_192;   // Kestrel's limit, answered with 414
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private const string Died = "the server process died";
    private const string StoppedAnswering = "the server stopped answering { __typename }";
    private const string ConnectionFailed = "the connection failed";

    [Fact]
    public async Task Thousands_of_random_and_hostile_requests_each_get_a_clear_answer_and_the_server_keeps_serving()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("T4K3NEWS_FUZZ_SECONDS"), out var s) && s > 0 ? s : 45;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("T4K3NEWS_FUZZ_SEED"), out var given) ? given : Random.Shared.Next();
        log.WriteLine($"Fuzzing for {seconds} s with seed {seed} (replay: T4K3NEWS_FUZZ_SEED={seed})");

        var database = await (await TestDatabaseServer.InstanceAsync()).CreateDatabaseAsync();
        var (_, created) = await ApiCommand.RunAsync(database, "tokens", "create", "--name", "fuzz-admin", "--role", "admin");
        var adminToken = created.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("t4k_", StringComparison.Ordinal));
        var run = new FuzzRun(TimeSpan.FromSeconds(seconds), new Dictionary<string, string>
        {
            ["ConnectionStrings__Content"] = database,
            ["Import__SeedsPath"] = RepositoryPaths.Seeds,
            ["RateLimiting__Enabled"] = "false", // volume is the point
        });

        await run.StartServerAsync();
        try
        {
            run.Canaries = await UnpublishedCanaries.WriteAsync(run.Current.Client, adminToken);
            var generator = new HostileRequestGenerator(await ReadSchemaAsync(run.Current.Client), adminToken, MaxBodyBytes, run.Canaries);
            run.StartClock();
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                var random = new Random(unchecked(seed * 31 + worker));
                while (run.GoesOn)
                    await run.SendAsync(generator.Next(random));
            })));
        }
        finally
        {
            await run.Current.DisposeAsync();
        }

        var summary = $"{run.Sent:N0} requests ({string.Join(", ", run.Kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}"))}), " +
                      $"peak server memory {run.PeakMemory / (1024 * 1024)} MB, {run.Restarts} restarts, seed {seed}";
        log.WriteLine(summary);
        Assert.True(run.Failures.IsEmpty, $"""
            The fuzzer found {run.Failures.Count} kinds of failure in {summary}. Replay with T4K3NEWS_FUZZ_SEED={seed}.

            {string.Join("\n\n", run.Failures.OrderBy(f => f.Value.Index).Select(f => f.Value.Report(f.Key)))}
            """);
    }

    /// <summary>The server under fire (restarted after a crash, within the time and restarts allowed), what was sent to it and what went wrong.</summary>
    private sealed class FuzzRun(TimeSpan duration, IReadOnlyDictionary<string, string> settings)
    {
        private readonly SemaphoreSlim restarting = new(1, 1);
        private readonly Stopwatch clock = new();
        private volatile bool stopped;
        private readonly ConcurrentDictionary<int, (HostileRequest Request, int PrintedBefore)> inFlight = new();
        private int sent;
        private long peakMemory;

        public RunningServer Current { get; private set; } = null!;

        /// <summary>The unpublished articles whose words no reader's answer may hold.</summary>
        public UnpublishedCanaries? Canaries { get; set; }
        public int Restarts { get; private set; }
        public int Sent => sent;
        public long PeakMemory => Interlocked.Read(ref peakMemory);
        public ConcurrentDictionary<string, int> Kinds { get; } = new();
        public ConcurrentDictionary<string, Failure> Failures { get; } = new();

        /// <summary>Time left, and a server to send to.</summary>
        public bool GoesOn => !stopped && clock.Elapsed < duration;

        public void StartClock() => clock.Start();

        public async Task StartServerAsync()
        {
            var process = ServerProcess.Start(settings);
            var url = await process.WaitForGraphQLUrlAsync(TimeSpan.FromMinutes(2));
            Current = new RunningServer(process, new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority)), Timeout = Timeout.InfiniteTimeSpan });
        }

        public async Task SendAsync(HostileRequest request)
        {
            // Nothing is sent while a crashed server is being replaced.
            await restarting.WaitAsync();
            restarting.Release();
            if (stopped)
                return;

            var server = Current;
            var index = Interlocked.Increment(ref sent);
            Kinds.AddOrUpdate(request.Kind.Split(':')[0], 1, (_, n) => n + 1);
            inFlight[index] = (request, server.Process.Output.Length);
            try
            {
                var answer = await SendAndJudgeAsync(server.Client, request, Canaries);
                var health = await CheckServerAsync(server, connectionLost: answer?.Symptom.StartsWith(ConnectionFailed, StringComparison.Ordinal) == true);
                var memory = server.Process.ResidentBytes() ?? 0;
                InterlockedMax(ref peakMemory, memory);
                if (health is Died or StoppedAnswering)
                {
                    await ReplaceAsync(server, health);
                    return;
                }

                if (answer is not null)
                    Record($"{request.Kind}: {answer.Symptom}", index, [request], answer.Answer + Logged(server.Process.Output[inFlight[index].PrintedBefore..]));
                if (memory > MemoryBoundBytes)
                    Record($"{request.Kind}: server memory over {MemoryBoundBytes / (1024 * 1024)} MB ({memory / (1024 * 1024)} MB)", index, [request], null);
            }
            finally
            {
                inFlight.TryRemove(index, out _);
            }
        }

        /// <summary>
        /// Restarts a crashed server once (other senders see the same crash) and records the crash. When several requests
        /// were in flight, each is sent again alone to the new server, to find the one that does it.
        /// </summary>
        private async Task ReplaceAsync(RunningServer crashed, string health)
        {
            await restarting.WaitAsync();
            try
            {
                if (Current != crashed || stopped)
                    return; // another sender saw this crash first, with this request among the suspects
                var suspects = inFlight.OrderBy(r => r.Key).ToList();
                var lastWords = crashed.Process.Output[suspects.Min(r => r.Value.PrintedBefore)..];
                var culprit = suspects.Count == 1 ? suspects[0].Value.Request : null;
                var restarted = await RestartAsync(crashed);
                var isolating = restarted && culprit is null;
                for (var i = 0; restarted && culprit is null && i < suspects.Count; i++)
                {
                    var suspect = suspects[i].Value.Request;
                    var printedBefore = Current.Process.Output.Length;
                    await SendAndJudgeAsync(Current.Client, suspect, Canaries);
                    if (await CheckServerAsync(Current, connectionLost: true) is not { } again)
                        continue;
                    (culprit, health, lastWords) = (suspect, again, Current.Process.Output[printedBefore..]);
                    restarted = await RestartAsync(Current);
                }

                var symptom = lastWords.Contains("Stack overflow.", StringComparison.Ordinal) ? $"{health} (stack overflow)" : health;
                Record(culprit is not null ? $"{culprit.Kind}: {symptom}" : isolating ? $"{symptom}, and no request in flight does it alone" : $"{symptom} (several requests in flight)",
                    suspects[0].Key, culprit is null ? suspects.Select(r => r.Value.Request).ToList() : [culprit], "The server's last words:\n" + LastWords(lastWords));
            }
            finally
            {
                restarting.Release();
            }
        }

        private async Task<bool> RestartAsync(RunningServer crashed)
        {
            await crashed.DisposeAsync();
            if (!GoesOn || Restarts == MaxRestarts)
            {
                stopped = true;
                return false;
            }

            Restarts++;
            await StartServerAsync();
            return true;
        }

        private void Record(string key, int index, IReadOnlyList<HostileRequest> requests, string? serverSaid) =>
            Failures.AddOrUpdate(key, _ => new Failure(index, requests, serverSaid), (_, known) => known.SeenAgain());

        private static void InterlockedMax(ref long target, long value)
        {
            for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, current) == current)
                    return;
            }
        }
    }

    /// <summary>What is wrong with the answer to one request (and the start of that answer), or null when it is a clear answer.</summary>
    private static async Task<Verdict?> SendAndJudgeAsync(HttpClient client, HostileRequest request, UnpublishedCanaries? canaries)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = null;
            if (request.ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.Accept is not null) message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        if (request.Authorization is not null) message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        canaries?.Retire(request);

        HttpResponseMessage response;
        string body;
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            response = await client.SendAsync(message, timeout.Token);
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return new($"no answer within {RequestTimeout.TotalSeconds:0} s", null);
        }
        catch (HttpRequestException e)
        {
            // Kestrel answers an oversized body (413) or request line (414) and closes the connection, perhaps while
            // the client is still sending: the refusal the limits promise, seen from the client.
            if (request.Body?.Length > MaxBodyBytes || request.PathAndQuery.Length > MaxRequestLineBytes)
                return null;
            return new($"{ConnectionFailed} ({e.HttpRequestError})", null);
        }

        using (response)
        {
            var symptom = canaries?.Leaked(request, response, body) is { } word
                ? $"an answer to a reader holds \"{word}\", a word only unpublished articles have"
                : Judge((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
            return symptom is null ? null : new Verdict(symptom, $"HTTP {(int)response.StatusCode} {Around(body, canaries?.Leaked(request, response, body))}");
        }
    }

    /// <summary>The start of an answer, or the part around a leaked word.</summary>
    private static string Around(string body, string? word)
    {
        var at = word is null ? -1 : body.IndexOf(word, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, at - 200);
        return body.Length - start > 400 ? body.Substring(start, 400) + " …(cut)" : body[start..];
    }

    private static string? Judge(int status, string? mediaType, string body)
    {
        JsonNode? json = null;
        var isJson = mediaType?.Contains("json", StringComparison.Ordinal) == true;
        if (isJson && body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return "an answer that says it is JSON but is not";
            }
        }

        var errors = (json is JsonArray batch ? batch.Select(item => item?["errors"]) : [json?["errors"]])
            .OfType<JsonArray>().SelectMany(list => list).ToList();
        if (status >= 500)
            return $"HTTP {status} {string.Join(" ", errors.Select(Code).Distinct())}".TrimEnd();
        if (status >= 400 && body.Length > 0 && !isJson)
            return $"HTTP {status} with a body that is not JSON";
        foreach (var error in errors)
        {
            var code = Code(error);
            if (code is null)
                return "an error without extensions.code";
            // The code of a bug or an outage: a clear answer to a client's mistake never needs it.
            if (code == "INTERNAL_SERVER_ERROR")
                return $"HTTP {status} INTERNAL_SERVER_ERROR";
            var codes = error?["extensions"]?["codes"] is JsonArray list ? list.Select(c => c?.ToString()).OfType<string>() : [];
            if (codes.Prepend(code).FirstOrDefault(c => !KnownCodes.Contains(c)) is { } unknown)
                return $"an error code that is none of ours: {unknown}";
            if (Leak().Match(error?["message"]?.ToString() ?? "") is { Success: true } leak)
                return $"an error message that leaks internals ({leak.Value})";
        }

        return null;
    }

    /// <summary>Alive and answering; after a lost connection, a crash is given the moment it takes to end the process.</summary>
    private static async Task<string?> CheckServerAsync(RunningServer server, bool connectionLost)
    {
        if (await AnswersAsync(server))
            return null;
        for (var waited = 0; connectionLost && waited < 100 && !server.Process.HasExited; waited++)
            await Task.Delay(100); // a stack overflow prints the whole stack before the process ends
        return server.Process.HasExited ? Died : StoppedAnswering;
    }

    private static async Task<bool> AnswersAsync(RunningServer server)
    {
        if (server.Process.HasExited)
            return false;
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            using var probe = await server.Client.PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"), timeout.Token);
            return (await probe.Content.ReadAsStringAsync(timeout.Token)).Contains("\"__typename\":\"Query\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The first failure the server logged meanwhile (with other senders, not necessarily for this request): its exception.</summary>
    private static string Logged(string printed)
    {
        var failure = printed.IndexOf("fail: ", StringComparison.Ordinal);
        if (failure < 0)
            return "";
        var lines = printed[failure..].Split('\n').Take(40).ToList();
        var exception = lines.FindIndex(l => l.Contains("Exception", StringComparison.Ordinal));
        return "\n  The server logged meanwhile:\n" + lines[0] + (exception > 0 ? "\n" + string.Join('\n', lines.Skip(exception).Take(2)) : "");
    }

    /// <summary>What the server printed as it died: from "Stack overflow." (with the frames it repeated) when it says so.</summary>
    private static string LastWords(string printed)
    {
        var overflow = printed.IndexOf("Stack overflow.", StringComparison.Ordinal);
        return string.Join('\n', printed[Math.Max(0, overflow)..].Split('\n').Take(12));
    }

    private static string? Code(JsonNode? error) => error?["extensions"]?["code"] is JsonValue code && code.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// The codes an answer may carry: those the README documents (its Error codes table) and GraphQL.NET's for its document,
    /// validation and variable errors. A code GraphQL.NET made from another library's exception type (POSTGRES, FORMAT,
    /// OVERFLOW…) is a leak, and one of ours missing from the README is undocumented.
    /// </summary>
    private static readonly HashSet<string> KnownCodes =
    [
        .. DocumentedCode().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).Split("### Error codes")[1].Split("\n## ")[0])
            .Select(m => m.Groups[1].Value),
        .. typeof(global::GraphQL.ExecutionError).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(global::GraphQL.ExecutionError)) && !t.IsAbstract && t != typeof(global::GraphQL.Execution.UnhandledError))
            .Select(global::GraphQL.Execution.ErrorInfoProvider.GetErrorCode)
            .SelectMany(code => new[] { code, code.EndsWith("_ERROR", StringComparison.Ordinal) ? code[..^"_ERROR".Length] : code }),
        "INVALID_VALUE",
    ];

    private static async Task<SchemaShape> ReadSchemaAsync(HttpClient client) =>
        SchemaShape.FromIntrospection(await new GraphQLClient(client).QueryAsync(SchemaShape.IntrospectionQuery));

    private sealed class RunningServer(ServerProcess process, HttpClient client) : IAsyncDisposable
    {
        private bool disposed;

        public ServerProcess Process => process;
        public HttpClient Client => client;

        public async ValueTask DisposeAsync()
        {
            if (disposed)
                return;
            disposed = true;
            client.Dispose();
            await process.DisposeAsync();
        }
    }

    private sealed record Verdict(string Symptom, string? Answer);

    /// <summary>One kind of failure: how often, and the first request that showed it with what the server said.</summary>
    private sealed class Failure(int index, IReadOnlyList<HostileRequest> requests, string? said)
    {
        private int count = 1;

        public int Index => index;

        public Failure SeenAgain()
        {
            Interlocked.Increment(ref count);
            return this;
        }

        public string Report(string symptom) =>
            $"- {symptom} (×{count}), first at request #{index}" +
            (requests.Count == 1 ? $":\n{requests[0].Describe(1_000)}" : $", with these in flight:\n{string.Join("\n", requests.Select(r => $"[{r.Kind}] {r.Describe(600)}"))}") +
            (said is null ? "" : $"\n  {said}");
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex DocumentedCode();

    [GeneratedRegex(@"Npgsql|Postgres|SQLSTATE|Exception|\bat T4K3News|   at |\b[0-9][0-9A-Z]{4}:\s")]
    private static partial Regex Leak();
}
