namespace T4K3News.Api.Hosting;

public static class RepositoryPaths
{
    /// <summary>
    /// A relative path is taken from the working directory when it exists there (`dotnet run` may move it to the
    /// project folder), else from the repository root
    /// (the folder holding T4K3News.sln above the content root), so `dotnet run --project src/T4K3News.Api` finds seeds/.
    /// </summary>
    public static string Resolve(string contentRoot, string path, bool mustExist)
    {
        if (Path.IsPathRooted(path))
            return path;

        var fromWorkingDirectory = Path.GetFullPath(path);
        if (mustExist && (Directory.Exists(fromWorkingDirectory) || File.Exists(fromWorkingDirectory)))
            return fromWorkingDirectory;

        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "T4K3News.sln")))
                return Path.GetFullPath(Path.Combine(folder.FullName, path));
        }

        return fromWorkingDirectory;
    }
}
