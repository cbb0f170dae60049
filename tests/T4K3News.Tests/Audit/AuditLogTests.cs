using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using T4K3News.Content.Audit;
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
    public async Task A_denied_write_deletes_entries_denied_for_want_of_a_token_past_their_retention_and_keeps_editors_entries()
    {
        var now = api.Clock.GetUtcNow().UtcDateTime;
        AuditEntry[] entries =
        [
            new() { At = now.AddDays(-8), Actor = "anonymous", Operation = "createTag", Outcome = "denied: AUTH_NOT_AUTHENTICATED" },
            new() { At = now.AddDays(-8), Actor = "desk-editor", Operation = "createToken", Outcome = "denied: AUTH_NOT_AUTHORIZED" },
            new() { At = now.AddDays(-8), Actor = "desk-editor", Operation = "createTag", Target = "old-tag", Outcome = "succeeded" },
            new() { At = now.AddDays(-6), Actor = "anonymous", Operation = "createTag", Outcome = "denied: AUTH_NOT_AUTHENTICATED" },
        ];
        await using (var db = api.CreateDbContext())
        {
            db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync();
        }

        var before = await DeniedEntriesAsync();
        var response = await api.CreateGraphQLClient().PostAsync("""mutation { createTag(input: { name: "Late" }) { tag { slug } } }""");

        Assert.Equal("AUTH_NOT_AUTHENTICATED", Assert.Single(response.Errors!)!["extensions"]!["code"].Text());
        await using var after = api.CreateDbContext();
        var ids = entries.Select(e => e.Id).ToList();
        Assert.Equal(ids[1..], await after.AuditEntries.Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync());
        Assert.Equal(before, await DeniedEntriesAsync()); // one new, one expired gone
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
