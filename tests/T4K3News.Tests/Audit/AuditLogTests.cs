using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Audit;

/// <summary>The audit log records every mutation, but a caller who may not mutate cannot make it write more than once a request.</summary>
public sealed class AuditLogTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    private static string FiftyCreateTags(string prefix) =>
        "mutation { " + string.Concat(Enumerable.Range(0, 50).Select(i => $"{prefix}{i}: createTag(input: {{ name: \"Tag {i}\" }}) {{ tag {{ slug }} }} ")) + "}";

    private async Task<int> DeniedEntriesAsync()
    {
        await using var db = api.CreateDbContext();
        return await db.AuditEntries.CountAsync(e => e.Operation == "createTag" && e.Outcome == "denied: AUTH_NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task An_anonymous_document_of_fifty_mutations_is_denied_fifty_times_and_audited_once()
    {
        var before = await DeniedEntriesAsync();

        var response = await api.CreateGraphQLClient().PostAsync(FiftyCreateTags("t"));

        Assert.Equal(50, response.Errors!.Count);
        Assert.All(response.Errors, e => Assert.Equal("AUTH_NOT_AUTHENTICATED", e!["extensions"]!["code"].Text()));
        Assert.Equal(before + 1, await DeniedEntriesAsync());
        await using var db = api.CreateDbContext();
        Assert.False(await db.Tags.AnyAsync());
    }

    [Fact]
    public async Task A_batch_of_denied_documents_is_audited_once_for_the_whole_request()
    {
        var before = await DeniedEntriesAsync();
        var batch = Enumerable.Range(0, 10).Select(i => new { query = FiftyCreateTags($"b{i}_") }).ToArray();

        using var response = await api.CreateClient().PostAsJsonAsync("/graphql", batch);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, await DeniedEntriesAsync());
    }
}
