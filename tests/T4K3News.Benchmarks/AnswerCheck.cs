using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using T4K3News.Content.Articles;

namespace T4K3News.Benchmarks;

/// <summary>
/// Before anything is measured: each page answers without errors, the server's "data" is exactly the JSON its SQL
/// statement returns (same articles, same order, same text), and both agree with the data set itself.
/// </summary>
public sealed class AnswerCheck(ApiServer server, string connectionString, ReadDataSet data)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task RunAsync(ReadPage page, StatementCounter statements, CancellationToken cancellationToken)
    {
        var numbers = page.PicksArticle ? ArticleSample() : [0];
        foreach (var number in numbers)
        {
            var fromServer = await AskServerAsync(page, number, cancellationToken);
            var fromSql = await AskDatabaseAsync(page, number, cancellationToken);
            if (!JsonNode.DeepEquals(fromServer, fromSql))
                throw new InvalidOperationException(
                    $"{page.Name}{(page.PicksArticle ? $" (article {number})" : "")}: the server and the SQL answer differ.\n" +
                    $"server: {Shorten(fromServer)}\nSQL:    {Shorten(fromSql)}");
            ExpectDataSet(page, number, fromServer!);
        }

        // Statements per request, exactly: ten requests one after another.
        await statements.ResetAsync(cancellationToken);
        const int requests = 10;
        for (var i = 0; i < requests; i++)
            await AskServerAsync(page, numbers[i % numbers.Count], cancellationToken);
        var count = await statements.CountAsync(cancellationToken);
        Console.WriteLine($"  {page.Name}: {numbers.Count} answer(s) identical to the SQL and to the data set; " +
                          $"{count.Queries / (double)requests:0.#} queries and {count.Resets / (double)requests:0.#} connection resets a request:");
        foreach (var (query, calls) in await statements.StatementsAsync(cancellationToken))
            Console.WriteLine($"    {calls / (double)requests,4:0.#} x {query}");
    }

    /// <summary>Twelve published articles spread over the data set, and one whose related articles include a draft.</summary>
    private List<int> ArticleSample()
    {
        var sample = Enumerable.Range(0, 12).Select(i => ReadDataSet.PublishedNumber(i * (ReadDataSet.PublishedCount - 1) / 11)).ToList();
        sample.Add(data.Articles.First(a => a.Status == ArticleStatus.Published && a.RelatedArticles.Any(r => ReadDataSet.IsDraft(r.RelatedArticleId))).Id);
        return sample;
    }

    private async Task<JsonNode?> AskServerAsync(ReadPage page, int number, CancellationToken cancellationToken)
    {
        using var content = new StringContent(page.RequestBody(number), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(server.Endpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = JsonNode.Parse(body);
        if (!response.IsSuccessStatusCode || answer?["errors"] is not null)
            throw new InvalidOperationException($"{page.Name}: the server answered {(int)response.StatusCode}: {Shorten(answer)}");
        return answer!["data"];
    }

    private async Task<JsonNode?> AskDatabaseAsync(ReadPage page, int number, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var sql = page.Sql();
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@n", StringComparison.Ordinal))
            command.Parameters.AddWithValue("n", number);
        if (sql.Contains("@tag", StringComparison.Ordinal))
            command.Parameters.AddWithValue("tag", ReadDataSet.TagSlug);
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>A third opinion, from the generated entities: which articles, in which order.</summary>
    private void ExpectDataSet(ReadPage page, int number, JsonNode answer)
    {
        if (page == ReadPage.Search)
        {
            ExpectSearchMatches(answer);
            return;
        }

        var visible = data.Articles.Where(a => a.Status == ArticleStatus.Published && a.PublishedAt <= DateTime.UtcNow).ToList();
        var newest = visible.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id);
        var economy = data.Tags.Single(t => t.Slug == ReadDataSet.TagSlug).Id;
        var (expected, actual) = page.PicksArticle
            ? (data.Articles[number - 1].RelatedArticles.OrderBy(r => r.Position).Select(r => data.Articles[r.RelatedArticleId - 1])
                    .Where(visible.Contains).Select(a => a.Slug).Prepend(ReadDataSet.Slug(number)).ToList(),
                answer["article"]!["relatedArticles"]!.AsArray().Select(r => (string)r!["slug"]!).Prepend((string)answer["article"]!["slug"]!).ToList())
            : ((page == ReadPage.Tag ? newest.Where(a => a.ArticleTags.Any(t => t.TagId == economy)) : newest).Take(20).Select(a => a.Slug).ToList(),
                answer["articles"]!["nodes"]!.AsArray().Select(n => (string)n!["slug"]!).ToList());
        if (!expected.SequenceEqual(actual))
            throw new InvalidOperationException($"{page.Name}: expected {string.Join(' ', expected)} from the data set, got {string.Join(' ', actual)}.");
    }

    /// <summary>The search page: 20 published articles holding both words, best score first.</summary>
    private void ExpectSearchMatches(JsonNode answer)
    {
        var words = ReadDataSet.SearchQuery.Split(' ');
        var nodes = answer["searchArticles"]!["nodes"]!.AsArray();
        var found = nodes.Select(n => data.Articles.Single(a => a.Slug == (string)n!["article"]!["slug"]!)).ToList();
        var scores = nodes.Select(n => (double)n!["score"]!).ToList();
        bool Has(string text, string word) => System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{word}\b");
        if (found.Count != 20
            || found.Any(a => a.Status != ArticleStatus.Published || !words.All(w => Has(a.Title + " " + a.Standfirst + " " + a.Body, w)))
            || scores.Zip(scores.Skip(1)).Any(pair => pair.First < pair.Second))
            throw new InvalidOperationException($"search: expected 20 published articles with both of '{ReadDataSet.SearchQuery}', best first; got {string.Join(' ', found.Select(a => a.Slug))}.");
    }

    private static string Shorten(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 1500 ? text : text[..1500] + "…";
    }
}
