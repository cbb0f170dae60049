namespace T4K3News.Tests.Infrastructure;

/// <summary>
/// Articles published at a given time, gone by or to come. A time gone by cannot be asked for (publishArticle refuses
/// it), so it is scheduled as the clock stood shortly before, and the clock is put back.
/// </summary>
public static class PastPublication
{
    public static async Task PublishAsync(GraphQLClient editor, TestClock clock, string title, DateTime at)
    {
        var created = await editor.QueryAsync(
            "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id } } }",
            new { input = new { title, standfirst = "S.", body = "B." } });
        var id = created["createArticle"]!["article"]!["id"].Text();
        var shift = TimeSpan.FromTicks(Math.Min(0, (at.AddMinutes(-1) - clock.GetUtcNow().UtcDateTime).Ticks));
        clock.Advance(shift);
        try
        {
            var published = await editor.QueryAsync(
                "mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { errors { __typename } } }",
                new { input = new { id, expectedVersion = 1, at } });
            Assert.Null(published["publishArticle"]!["errors"]);
        }
        finally
        {
            clock.Advance(-shift);
        }
    }
}
