using System.Text;

namespace T4K3News.Benchmarks;

/// <summary>Asks the server every variant of a page once (each published article for the article page), so its response cache holds them all.</summary>
public static class CacheWarmup
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<int> AskEveryVariantAsync(ApiServer server, ReadPage page, CancellationToken cancellationToken)
    {
        var numbers = page.PicksArticle ? Enumerable.Range(0, ReadDataSet.PublishedCount).Select(ReadDataSet.PublishedNumber).ToList() : [0];
        await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (number, ct) =>
        {
            using var content = new StringContent(page.RequestBody(number), Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync(server.Endpoint, content, ct);
            response.EnsureSuccessStatusCode();
        });
        return numbers.Count;
    }
}
