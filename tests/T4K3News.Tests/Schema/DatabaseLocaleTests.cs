using Microsoft.EntityFrameworkCore;
using T4K3News.DevTools;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Schema;

/// <summary>
/// Every database the project creates has the same UTF-8 locale (<see cref="LocalPostgresCluster.Locale"/>), so that
/// case folds in every script in the database as it does in a production one: with no locale, lower() leaves Cyrillic,
/// Greek and accented capitals as they are.
/// </summary>
public sealed class DatabaseLocaleTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Fact]
    public async Task The_database_folds_case_in_every_script_and_sorts_by_code_point()
    {
        await using var db = api.CreateDbContext();

        var lowered = await db.Database
            .SqlQueryRaw<string>("SELECT lower('ŁÓDŹ ÜBERRASCHUNG УКРАЇНА ΑΘΉΝΑ') AS \"Value\"")
            .SingleAsync();
        var sorted = await db.Database
            .SqlQueryRaw<string>("SELECT string_agg(w, ' ' ORDER BY w) AS \"Value\" FROM unnest(ARRAY['b', 'a', 'B', 'é']) w")
            .SingleAsync();

        Assert.Equal("łódź überraschung україна αθήνα", lowered);
        Assert.Equal("B a b é", sorted);
    }

    [Fact]
    public void The_compose_file_creates_its_database_with_the_same_locale()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));

        Assert.Contains($"POSTGRES_INITDB_ARGS: \"--locale={LocalPostgresCluster.Locale}\"", compose);
    }
}
