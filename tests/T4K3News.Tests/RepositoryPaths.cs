namespace T4K3News.Tests;

public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();
    public static string Seeds => Path.Combine(Root, "seeds");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "T4K3News.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException("The tests run from inside the repository (no T4K3News.sln above the test binaries).");
    }
}
