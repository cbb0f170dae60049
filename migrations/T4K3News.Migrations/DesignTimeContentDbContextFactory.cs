using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using T4K3News.Content;

namespace T4K3News.Migrations;

/// <summary>For <c>dotnet ef</c>: it needs a context to diff the model against, not a live database, unless you apply migrations with it.</summary>
public sealed class DesignTimeContentDbContextFactory : IDesignTimeDbContextFactory<ContentDbContext>
{
    public ContentDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Content")
            ?? "Host=127.0.0.1;Database=t4k3news;Username=postgres";
        var options = new DbContextOptionsBuilder<ContentDbContext>();
        ContentDatabase.Configure(options, connectionString);
        return new ContentDbContext(options.Options);
    }
}
