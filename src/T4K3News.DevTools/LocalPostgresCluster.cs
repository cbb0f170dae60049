using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace T4K3News.DevTools;

/// <summary>
/// A private PostgreSQL cluster on a free loopback port, from the server binaries on this machine: the development
/// server's default database (kept in a data folder and reused across runs) and the tests' throwaway database.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    /// <summary>
    /// Every cluster's locale: the local one, the tests' and the compose file's (POSTGRES_INITDB_ARGS). A UTF-8 ctype,
    /// so that lower(), ILIKE and the text-search parser know letters of every script; C collation order (by code
    /// point), which is the same on every machine and needs no installed locale.
    /// </summary>
    public const string Locale = "C.UTF-8";

    public const string MissingBinariesMessage =
        "No PostgreSQL found. Install the PostgreSQL server (e.g. `apt-get install postgresql`, which provides initdb and pg_ctl), " +
        "or set ConnectionStrings__Content to an existing database, or run `docker compose up --build`.";

    private const string Superuser = "postgres";
    private readonly string binDirectory;
    private readonly string dataDirectory;
    private readonly bool throwaway;
    private readonly IReadOnlyList<string> serverSettings;
    private bool stopWhenDisposed;

    private LocalPostgresCluster(string binDirectory, string dataDirectory, bool throwaway, int port, string password, IReadOnlyList<string>? serverSettings = null)
    {
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
        this.throwaway = throwaway;
        this.serverSettings = serverSettings ?? [];
        Port = port;
        Password = password;
    }

    public int Port { get; private set; }
    public string Password { get; }
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database unless it exists, so that nothing has to fail against a missing one first.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The folder holding initdb and pg_ctl: <paramref name="configured"/> when given (and only it), else the first on
    /// PATH, else the newest /usr/lib/postgresql/*/bin.
    /// </summary>
    public static string? FindBinDirectory(string? configured = null)
    {
        var candidates = !string.IsNullOrWhiteSpace(configured) ? [configured] : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                    .Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Starts the cluster in <paramref name="dataDirectory"/>, creating it on first use, or reuses it when it already runs.</summary>
    public static async Task<LocalPostgresCluster> StartPersistentAsync(string binDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var statePath = dataDirectory + ".json";
        var state = File.Exists(statePath)
            ? JsonSerializer.Deserialize<ClusterState>(await File.ReadAllTextAsync(statePath, cancellationToken))!
            : new ClusterState(0, NewPassword());

        var cluster = new LocalPostgresCluster(binDirectory, dataDirectory, throwaway: false, state.Port, state.Password);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            await cluster.InitializeAsync(cancellationToken);

        // A server left running (by a run that was killed, or another process) is reused; but one may also be starting
        // or still shutting down (a run stopped just before this one), and then neither reusing it at once nor
        // starting another works: wait until it accepts connections, or is gone and can be started.
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var waiting = false;
        while (true)
        {
            var (running, runningPort) = await cluster.RunningAsync(cancellationToken);
            if (!running)
            {
                cluster.Port = state.Port > 0 && IsFree(state.Port) ? state.Port : FreePort();
                await cluster.StartAsync(cancellationToken);
            }
            else if (runningPort is { } port)
            {
                cluster.Port = port;
            }

            // Running but not listening: starting, or closing down.
            if ((!running || runningPort is not null) && await cluster.AcceptsConnectionsAsync(cancellationToken))
                break;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException(
                    $"The PostgreSQL server in {dataDirectory} did not accept connections on port {cluster.Port} " +
                    $"within {ReadyTimeout.TotalSeconds:0} seconds (stuck starting or shutting down? see server.log). " +
                    $"Stop it with `pg_ctl stop -D {dataDirectory}` and start again.");
            if (!waiting)
                Console.WriteLine(
                    $"Waiting for the local PostgreSQL cluster in {dataDirectory} to accept connections " +
                    "(it is starting or shutting down)...");
            waiting = true;
            await Task.Delay(250, cancellationToken);
        }

        await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(new ClusterState(cluster.Port, cluster.Password)), cancellationToken);
        return cluster;
    }

    /// <summary>A new cluster in a temporary folder, tuned for speed over durability; disposing it stops it and deletes the folder.</summary>
    public static Task<LocalPostgresCluster> StartThrowawayAsync(CancellationToken cancellationToken) =>
        StartThrowawayAsync([], cancellationToken);

    /// <summary>The same, with extra server settings (<c>name=value</c>, e.g. <c>shared_preload_libraries=pg_stat_statements</c>).</summary>
    public static async Task<LocalPostgresCluster> StartThrowawayAsync(IReadOnlyList<string> serverSettings, CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(MissingBinariesMessage);
        DeleteAbandonedThrowaways(Path.GetTempPath(), DateTime.UtcNow);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"{ThrowawayPrefix}{Guid.NewGuid():N}");
        var cluster = new LocalPostgresCluster(bin, dataDirectory, throwaway: true, FreePort(), NewPassword(), serverSettings);
        try
        {
            await cluster.InitializeAsync(cancellationToken);
            await cluster.StartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private const string ThrowawayPrefix = "t4k3news-pg-";

    /// <summary>How old a throwaway folder with no server running in it must be before it counts as abandoned.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);

    /// <summary>
    /// Deletes throwaway clusters' folders that their runs never got to delete (a test host killed before its exit
    /// handler finished leaves one of 45 MB or more each time): those older than <see cref="AbandonedAfter"/> with no
    /// server running in them. A folder being set up is new, and a running cluster's has its postmaster's pid.
    /// </summary>
    public static void DeleteAbandonedThrowaways(string parent, DateTime now)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, ThrowawayPrefix + "*"))
        {
            try
            {
                if (now - Directory.GetLastWriteTimeUtc(folder) >= AbandonedAfter && !ServerRunsIn(folder))
                    Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: it stays.
            }
        }
    }

    private static bool ServerRunsIn(string folder)
    {
        var pidFile = Path.Combine(folder, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
            return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stopWhenDisposed)
        {
            await RunAsync("pg_ctl", ["stop", "-D", dataDirectory, "-m", throwaway ? "immediate" : "fast", "-w"], CancellationToken.None, throwOnFailure: false);
            stopWhenDisposed = false;
        }

        if (throwaway && Directory.Exists(dataDirectory))
            Directory.Delete(dataDirectory, recursive: true);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetTempPath(), $"t4k3news-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        try
        {
            await HandToServerUserAsync(dataDirectory, cancellationToken);
            await HandToServerUserAsync(passwordFile, cancellationToken);
            if (IsRoot && (await RunAsync("test", ["-w", dataDirectory], cancellationToken, throwOnFailure: false, fromBin: false)).ExitCode != 0)
                throw new InvalidOperationException(
                    $"PostgreSQL runs as the '{Superuser}' user, which cannot reach {dataDirectory}: a folder above it is private. " +
                    "Let others traverse those folders (chmod o+x) or set Database:LocalDataPath to a folder it can reach.");
            List<string> arguments = ["-D", dataDirectory, "-U", Superuser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", $"--locale={Locale}"];
            if (throwaway)
                arguments.Add("--no-sync");
            await RunAsync("initdb", arguments, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=400";
        if (throwaway)
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        foreach (var setting in serverSettings)
            options += $" -c {setting}";
        var log = Path.Combine(dataDirectory, "server.log");
        try
        {
            await RunAsync("pg_ctl", ["start", "-D", dataDirectory, "-l", log, "-w", "-t", "60", "-o", options], cancellationToken);
        }
        catch (InvalidOperationException e) when (File.Exists(log))
        {
            var tail = string.Join('\n', (await File.ReadAllLinesAsync(log, cancellationToken)).TakeLast(15));
            throw new InvalidOperationException($"{e.Message}\nserver.log:\n{tail}", e);
        }

        stopWhenDisposed = true;
    }

    /// <summary>How long a start waits for the cluster to accept connections.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Whether a server runs on this data folder, and the port it listens on once it does.</summary>
    private async Task<(bool Running, int? Port)> RunningAsync(CancellationToken cancellationToken)
    {
        var (exitCode, _) = await RunAsync("pg_ctl", ["status", "-D", dataDirectory], cancellationToken, throwOnFailure: false);
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (exitCode != 0)
            return (false, null);
        try
        {
            // postmaster.pid: pid, data directory, start time, port, ...
            var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
            return (true, lines.Length > 3 && int.TryParse(lines[3], out var port) && !IsFree(port) ? port : null);
        }
        catch (IOException)
        {
            return (true, null); // gone meanwhile: the next look says it is not running
        }
    }

    /// <summary>
    /// Whether the server takes a session now; false while nothing listens on the port, or the server says it is
    /// starting up or shutting down. Any other failure (a wrong password, say) is thrown: waiting would not help.
    /// </summary>
    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        var probe = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow)
        {
            return false;
        }
        catch (NpgsqlException e)
            when (e is not PostgresException && (e.InnerException is SocketException or TimeoutException || e.IsTransient))
        {
            return false;
        }
    }

    /// <summary>Runs a PostgreSQL tool (or, without <paramref name="fromBin"/>, any command) as the server's user.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(
        string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true, bool fromBin = true)
    {
        var executable = fromBin ? Path.Combine(binDirectory, tool) : tool;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (IsRoot)
        {
            // initdb and the server refuse to run as root.
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", Superuser, "--", executable })
                start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output) + (await errors);
        if (throwOnFailure && process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {text.Trim()}");
        return (process.ExitCode, text);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task HandToServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (!IsRoot)
            return;
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", $"{Superuser}:{Superuser}", path]) { UseShellExecute = false })!;
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
            throw new InvalidOperationException($"Could not give {path} to the '{Superuser}' user.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private sealed record ClusterState(int Port, string Password);
}
