using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T4K3News.Content;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Schema;

public sealed class MigrationTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private const string BeforeListsInTheRow = "20261126083223_HardeningStores";

    [Fact]
    public async Task The_migrations_describe_the_current_model_and_are_all_applied()
    {
        await using var db = api.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet run --project src/T4K3News.Api -- migrations add NAME`.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_ordered_lists_move_from_their_tables_into_their_articles_row_in_their_order_and_back()
    {
        await using var db = await MigratedDatabaseAsync(BeforeListsInTheRow);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Publications" ("Id", "Name") VALUES (1, 'T4K3.news');
            INSERT INTO "Articles" ("Id", "PublicationId", "Slug", "Title", "Standfirst", "Body", "Status", "CreatedAt", "UpdatedAt", "Version")
            VALUES (1, 1, 'with-lists', 'With lists', 'S.', 'B.', 'Draft', now(), now(), 1),
                   (2, 1, 'without-lists', 'Without lists', 'S.', 'B.', 'Draft', now(), now(), 1);
            INSERT INTO "Takeaways" ("ArticleId", "Position", "Text") VALUES (1, 1, 'Second'), (1, 0, 'First'), (1, 2, 'Third');
            INSERT INTO "Quotes" ("ArticleId", "Position", "Text", "Speaker", "Context") VALUES (1, 1, 'Later.', NULL, 'Said later.'), (1, 0, 'Sooner.', 'Anna Lind', NULL);
            INSERT INTO "Highlights" ("ArticleId", "Position", "Text") VALUES (1, 0, 'Only');
            INSERT INTO "Callouts" ("ArticleId", "Position", "Title", "Body") VALUES (1, 1, 'Two', 'Body two.'), (1, 0, 'One', 'Body one.');
            """);

        await db.GetService<IMigrator>().MigrateAsync();
        var articles = await db.Articles.AsNoTracking().OrderBy(a => a.Id).ToListAsync();

        Assert.Equal(["First", "Second", "Third"], articles[0].Takeaways.Select(t => t.Text));
        Assert.Equal([("Sooner.", "Anna Lind", null), ("Later.", null, "Said later.")], articles[0].Quotes.Select(q => (q.Text, q.Speaker, q.Context)));
        Assert.Equal(["Only"], articles[0].Highlights.Select(h => h.Text));
        Assert.Equal([("One", "Body one."), ("Two", "Body two.")], articles[0].Callouts.Select(c => (c.Title, c.Body)));
        Assert.All([articles[1].Takeaways.Count, articles[1].Quotes.Count, articles[1].Highlights.Count, articles[1].Callouts.Count], count => Assert.Equal(0, count));

        await db.GetService<IMigrator>().MigrateAsync(BeforeListsInTheRow);
        var takeaways = await db.Database.SqlQueryRaw<string>("""SELECT "Text" AS "Value" FROM "Takeaways" ORDER BY "Position" """).ToListAsync();
        var callouts = await db.Database.SqlQueryRaw<string>("""SELECT "Position" || ':' || "Title" AS "Value" FROM "Callouts" ORDER BY "Position" """).ToListAsync();
        Assert.Equal(["First", "Second", "Third"], takeaways);
        Assert.Equal(["0:One", "1:Two"], callouts);
    }

    /// <summary>A database of its own, at <paramref name="migration"/>.</summary>
    private static async Task<ContentDbContext> MigratedDatabaseAsync(string migration)
    {
        var options = new DbContextOptionsBuilder<ContentDbContext>();
        ContentDatabase.Configure(options, await (await TestDatabaseServer.InstanceAsync()).CreateDatabaseAsync());
        var db = new ContentDbContext(options.Options);
        await db.GetService<IMigrator>().MigrateAsync(migration);
        return db;
    }
}
