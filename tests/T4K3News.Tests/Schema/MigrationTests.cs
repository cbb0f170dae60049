using Microsoft.EntityFrameworkCore;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Schema;

public sealed class MigrationTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Fact]
    public async Task The_migrations_describe_the_current_model_and_are_all_applied()
    {
        await using var db = api.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet ef migrations add NAME` in migrations/T4K3News.Migrations (see the README).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
