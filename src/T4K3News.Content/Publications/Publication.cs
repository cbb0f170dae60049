using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace T4K3News.Content.Publications;

public static class PublicationLimits
{
    public const int Name = 200;
}

/// <summary>The site an article appears on, e.g. "T4K3.news".</summary>
public sealed class Publication
{
    public int Id { get; set; }

    [MaxLength(PublicationLimits.Name)]
    public required string Name { get; set; }
}

public static class PublicationLookup
{
    /// <summary>
    /// The publication with this name, made by the first write that needs it. Writes arriving at once all insert with
    /// ON CONFLICT DO NOTHING: PostgreSQL lets one in and makes the others wait for it, so each then finds that one.
    /// </summary>
    public static async Task<Publication> FindOrAddPublicationAsync(this ContentDbContext db, string name, CancellationToken cancellationToken)
    {
        if (await db.Publications.SingleOrDefaultAsync(p => p.Name == name, cancellationToken) is { } existing)
            return existing;
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Publications" ("Name") VALUES ({name}) ON CONFLICT ("Name") DO NOTHING""", cancellationToken);
        return await db.Publications.SingleAsync(p => p.Name == name, cancellationToken);
    }
}
