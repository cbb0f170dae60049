using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T4K3News.Content;
using T4K3News.Content.Articles;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Schema;

public sealed class MigrationTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private const string BeforeListsInTheRow = "20261126083223_HardeningStores";
    private const string BeforeFlatSnapshots = "20261126085901_OrderedListsInTheArticleRow";

    [Fact]
    public async Task The_migrations_describe_the_current_model_and_are_all_applied()
    {
        await using var db = api.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet ef migrations add NAME` in migrations/T4K3News.Migrations (see the README).");
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

    [Fact]
    public async Task Revisions_stored_before_snapshots_were_flat_restore_every_field_and_migrate_back_unchanged()
    {
        const string oldSnapshot = """
            {"slug":"with-lists","status":1,"publishedAt":"2025-07-20T08:06:00Z","content":{"title":"With lists","standfirst":"S.",
             "heroImageAltText":null,"heroImageCaption":"A caption.","bodyHeading":null,"body":"B.","analysis":null,"closingLine":"Last.",
             "takeaways":["First","Second"],"quotes":[{"text":"Q.","speaker":"Anna Lind","context":null}],"highlights":["Only"],
             "callouts":[{"title":"One","body":"Body one."}]},"tagIds":[3,5],"relatedArticleIds":[2]}
            """;
        await using var db = await MigratedDatabaseAsync(BeforeFlatSnapshots);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Publications" ("Id", "Name") VALUES (1, 'T4K3.news');
            INSERT INTO "Articles" ("Id", "PublicationId", "Slug", "Title", "Standfirst", "Body", "Status", "CreatedAt", "UpdatedAt", "Version")
            VALUES (1, 1, 'with-lists', 'With lists', 'S.', 'B.', 'Published', now(), now(), 1);
            INSERT INTO "ArticleRevisions" ("ArticleId", "Version", "Snapshot", "ChangedFields", "Author", "CreatedAt")
            VALUES (1, 1, {oldSnapshot}::jsonb, ARRAY['created'], 'import', now());
            """);

        await db.GetService<IMigrator>().MigrateAsync();
        var snapshot = ArticleSnapshot.FromJson((await db.ArticleRevisions.SingleAsync()).Snapshot);
        var restored = new Article();
        snapshot.RestoreFieldsOf(restored);

        Assert.Equal("With lists", snapshot.Title);
        Assert.Equal([3, 5], snapshot.TagIds);
        Assert.Equal([2], snapshot.RelatedArticleIds);
        Assert.Equal(("with-lists", "S.", "B.", null, "A caption.", "Last."), (restored.Slug, restored.Standfirst, restored.Body, restored.Analysis, restored.HeroImageCaption, restored.ClosingLine));
        Assert.Equal(["First", "Second"], restored.Takeaways.Select(t => t.Text));
        Assert.Equal([new Quote { Text = "Q.", Speaker = "Anna Lind" }], restored.Quotes);
        Assert.Equal(["Only"], restored.Highlights.Select(h => h.Text));
        Assert.Equal([new Callout { Title = "One", Body = "Body one." }], restored.Callouts);

        await db.GetService<IMigrator>().MigrateAsync(BeforeFlatSnapshots);
        var unchanged = await db.Database.SqlQuery<bool>($"""SELECT "Snapshot" = {oldSnapshot}::jsonb AS "Value" FROM "ArticleRevisions" """).SingleAsync();
        Assert.True(unchanged);
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
