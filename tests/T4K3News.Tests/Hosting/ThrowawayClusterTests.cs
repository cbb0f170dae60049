using T4K3News.DevTools;

namespace T4K3News.Tests.Hosting;

/// <summary>Throwaway clusters' folders that a killed run left behind are deleted by a later run, and only those.</summary>
public sealed class ThrowawayClusterTests : IDisposable
{
    private readonly DirectoryInfo parent = Directory.CreateTempSubdirectory("t4k3news-sweep-");

    [Fact]
    public void An_old_folder_with_no_server_is_deleted_and_a_new_one_or_one_with_a_running_server_stays()
    {
        var now = DateTime.UtcNow;
        var abandoned = Folder("t4k3news-pg-abandoned", now - LocalPostgresCluster.AbandonedAfter - TimeSpan.FromMinutes(1));
        var deadServer = Folder("t4k3news-pg-dead-server", now - TimeSpan.FromDays(2), pid: int.MaxValue);
        var fresh = Folder("t4k3news-pg-being-set-up", now - TimeSpan.FromMinutes(5));
        var running = Folder("t4k3news-pg-running", now - TimeSpan.FromDays(2), pid: Environment.ProcessId);
        var other = Folder("someone-elses-folder", now - TimeSpan.FromDays(2));

        LocalPostgresCluster.DeleteAbandonedThrowaways(parent.FullName, now);

        Assert.False(Directory.Exists(abandoned));
        Assert.False(Directory.Exists(deadServer));
        Assert.True(Directory.Exists(fresh));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(other));
    }

    public void Dispose() => parent.Delete(recursive: true);

    private string Folder(string name, DateTime lastWrite, int? pid = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent.FullName, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "PG_VERSION"), "15\n");
        if (pid is { } id)
            File.WriteAllText(Path.Combine(folder, "postmaster.pid"), $"{id}\n{folder}\n");
        Directory.SetLastWriteTimeUtc(folder, lastWrite);
        return folder;
    }
}
