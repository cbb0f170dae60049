using System.Text.Json.Nodes;
using T4K3News.Content.Webhooks;
using T4K3News.Tests.Infrastructure;
using static T4K3News.Tests.Webhooks.Newsroom;

namespace T4K3News.Tests.Webhooks;

/// <summary>Receivers learn only what anonymous readers could see: never a draft's or a scheduled article's headline.</summary>
public sealed class WebhookVisibilityTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime, IDisposable
{
    private static readonly string[] ArticleEvents =
        ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED", "ARTICLE_ARCHIVED", "ARTICLE_DELETED"];

    private readonly string folder = Directory.CreateTempSubdirectory("t4k3news-webhook-seeds-").FullName;

    public Task InitializeAsync() => api.ClearWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Archiving_or_deleting_an_article_readers_never_saw_tells_receivers_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, ArticleEvents);
        var embargo = api.Clock.GetUtcNow().AddDays(200);

        var (draft, draftVersion) = await CreateArticleAsync(admin, "Quarzite merger draft");
        await StepAsync(admin, "archiveArticle", draft, draftVersion);
        var (doomed, doomedVersion) = await CreateArticleAsync(admin, "Quarzite layoffs draft");
        await StepAsync(admin, "deleteArticle", doomed, doomedVersion);
        var (scheduled, scheduledVersion) = await CreateArticleAsync(admin, "Quarzite budget embargo");
        scheduledVersion = await PublishAsync(admin, scheduled, scheduledVersion, embargo);
        await StepAsync(admin, "archiveArticle", scheduled, scheduledVersion);
        var (pulled, pulledVersion) = await CreateArticleAsync(admin, "Quarzite summit embargo");
        pulledVersion = await PublishAsync(admin, pulled, pulledVersion, embargo);
        await StepAsync(admin, "deleteArticle", pulled, pulledVersion);
        // A marker after them: the outbox rows of the writes above were committed with them, before it.
        var (marker, markerVersion) = await CreateArticleAsync(admin, "Harbour reopens");
        await PublishAsync(admin, marker, markerVersion);

        var delivery = Assert.Single(await api.SettledDeliveriesAsync(1));
        Assert.Equal(("ARTICLE_PUBLISHED", marker), (delivery.EventType, Data(delivery)["id"].Text()));
        Assert.DoesNotContain("quarzite", delivery.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Single(await receiver.WaitForAsync(1));
    }

    [Fact]
    public async Task Archiving_or_deleting_a_visible_article_tells_receivers_what_readers_saw()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_ARCHIVED", "ARTICLE_DELETED");

        var (archived, archivedVersion) = await CreateArticleAsync(admin, "Old pier closes");
        archivedVersion = await PublishAsync(admin, archived, archivedVersion);
        var publishedAt = (await admin.QueryAsync("query ($id: ID!) { node(id: $id) { ... on Article { publishedAt } } }",
            new { id = archived }))["node"]!["publishedAt"].Text();
        archivedVersion = await StepAsync(admin, "archiveArticle", archived, archivedVersion);
        var (deleted, deletedVersion) = await CreateArticleAsync(admin, "Ferry timetable for May");
        deletedVersion = await PublishAsync(admin, deleted, deletedVersion);
        await StepAsync(admin, "deleteArticle", deleted, deletedVersion);

        var deliveries = await api.SettledDeliveriesAsync(2);
        Assert.Equal(["ARTICLE_ARCHIVED", "ARTICLE_DELETED"], deliveries.Select(d => d.EventType));
        var archive = Data(deliveries[0]);
        Assert.Equal((archived, "old-pier-closes", archivedVersion, "Old pier closes", "ARCHIVED"),
            (archive["id"].Text(), archive["slug"].Text(), archive["version"]!.GetValue<int>(), archive["title"].Text(), archive["status"].Text()));
        AssertSameTime(publishedAt, archive["publishedAt"].Text());
        var delete = Data(deliveries[1]);
        Assert.Equal((deleted, "ferry-timetable-for-may", deletedVersion),
            (delete["id"].Text(), delete["slug"].Text(), delete["version"]!.GetValue<int>()));
        Assert.Equal(["id", "slug", "version"], delete.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_article_rescheduled_by_an_import_is_unpublished_with_the_headline_readers_saw_not_its_new_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, ArticleEvents);
        var file = Path.Combine(folder, "500_dock_strike.txt");
        File.WriteAllText(file, "T4K3.news\nDock workers vote on strike\nA ballot closes today.\nJuly 21, 2025 at 10:00 AM\nA body.\n");
        await api.CreateImporter().ImportFolderAsync(folder, default);
        // The same file again, now with an embargoed headline and a time years ahead.
        File.WriteAllText(file, "T4K3.news\nQuarzite port sale agreed\nA deal is near.\nJuly 21, 2030 at 10:00 AM\nA body.\n");
        await api.CreateImporter().ImportFolderAsync(folder, default);

        var deliveries = await api.SettledDeliveriesAsync(2);
        Assert.Equal(["ARTICLE_PUBLISHED", "ARTICLE_UNPUBLISHED"], deliveries.Select(d => d.EventType));
        var (published, unpublished) = (Data(deliveries[0]), Data(deliveries[1]));
        Assert.Equal((published["id"].Text(), "dock-workers-vote-on-strike", "Dock workers vote on strike", published["publishedAt"].Text()),
            (unpublished["id"].Text(), unpublished["slug"].Text(), unpublished["title"].Text(), unpublished["publishedAt"].Text()));
        Assert.Equal(published["version"]!.GetValue<int>() + 1, unpublished["version"]!.GetValue<int>());
        Assert.DoesNotContain("quarzite", deliveries[1].Payload, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2030", deliveries[1].Payload);
    }

    [Fact]
    public async Task A_visible_article_rescheduled_by_an_editor_is_unpublished_with_the_time_readers_saw()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        await CreateWebhookAsync(admin, receiver.Url, ArticleEvents);
        var (id, version) = await CreateArticleAsync(admin, "Bridge reopens to cyclists");
        version = await PublishAsync(admin, id, version);
        var embargo = api.Clock.GetUtcNow().AddDays(100);
        await PublishAsync(admin, id, version, embargo);

        var deliveries = await api.SettledDeliveriesAsync(2);
        Assert.Equal(["ARTICLE_PUBLISHED", "ARTICLE_UNPUBLISHED"], deliveries.Select(d => d.EventType));
        AssertSameTime(Data(deliveries[0])["publishedAt"].Text(), Data(deliveries[1])["publishedAt"].Text());
        Assert.DoesNotContain(embargo.UtcDateTime.ToString("yyyy-MM-dd"), deliveries[1].Payload);
    }

    [Fact]
    public async Task A_visible_article_changed_by_a_tag_merge_a_forced_tag_delete_a_linked_delete_or_an_import_is_told_as_updated()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await AdminAsync(api);
        async Task<string> TagAsync(string name) =>
            (await admin.QueryAsync("mutation ($name: String!) { createTag(input: { name: $name }) { tag { id } } }", new { name }))["createTag"]!["tag"]!["id"].Text()!;
        async Task<(string Id, int Version)> ArticleAsync(string title, string[] tagIds, string[] relatedArticleIds)
        {
            var article = (await admin.QueryAsync("""
                mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id version } errors { __typename } } }
                """, new { input = new { title, standfirst = "A standfirst.", body = "A body.", tagIds, relatedArticleIds } }))["createArticle"]!["article"]!;
            return (article["id"].Text()!, article["version"]!.GetValue<int>());
        }

        var (ferries, boats, ports) = (await TagAsync("Ferries"), await TagAsync("Boats"), await TagAsync("Ports"));
        var (linked, linkedVersion) = await ArticleAsync("Ferry operator folds", [], []);
        linkedVersion = await PublishAsync(admin, linked, linkedVersion);
        var (visible, visibleVersion) = await ArticleAsync("Ferries return to the islands", [ferries, ports], [linked]);
        visibleVersion = await PublishAsync(admin, visible, visibleVersion);
        await ArticleAsync("Quarzite ferry tender draft", [ferries, ports], [linked]); // a draft: never told
        var file = Path.Combine(folder, "600_lock_gates.txt");
        File.WriteAllText(file, "T4K3.news\nLock gates replaced\nWork ends early.\nJuly 21, 2025 at 10:00 AM\nA body.\n");
        await api.CreateImporter().ImportFolderAsync(folder, default);
        await CreateWebhookAsync(admin, receiver.Url, "ARTICLE_UPDATED", "ARTICLE_DELETED");

        await admin.QueryAsync("mutation ($input: MergeTagsInput!) { mergeTags(input: $input) { errors { __typename } } }",
            new { input = new { sourceTagId = ferries, targetTagId = boats } });
        await admin.QueryAsync("mutation ($input: DeleteTagInput!) { deleteTag(input: $input) { errors { __typename } } }",
            new { input = new { id = ports, force = true } });
        await StepAsync(admin, "deleteArticle", linked, linkedVersion);
        File.WriteAllText(file, "T4K3.news\nLock gates replaced\nWork ends a week early.\nJuly 21, 2025 at 10:00 AM\nA body.\n");
        await api.CreateImporter().ImportFolderAsync(folder, default);

        var deliveries = await api.SettledDeliveriesAsync(5);
        var told = deliveries.Select(d => (d.EventType, Data(d)["slug"].Text(), Data(d)["version"]!.GetValue<int>())).ToList();
        Assert.Equal([
            ("ARTICLE_UPDATED", "ferries-return-to-the-islands", visibleVersion + 1), // the merge
            ("ARTICLE_UPDATED", "ferries-return-to-the-islands", visibleVersion + 2), // the forced delete
            ("ARTICLE_UPDATED", "ferries-return-to-the-islands", visibleVersion + 3), // its related article deleted
            ("ARTICLE_DELETED", "ferry-operator-folds", linkedVersion),
            ("ARTICLE_UPDATED", "lock-gates-replaced", 2),                             // the import
        ], told);
        Assert.All(deliveries, d => Assert.DoesNotContain("quarzite", d.Payload, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The same instant, as far as the database keeps it (microseconds) and the API writes it.</summary>
    private static void AssertSameTime(string? expected, string? actual) =>
        Assert.InRange((DateTimeOffset.Parse(actual!) - DateTimeOffset.Parse(expected!)).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

    private static JsonNode Data(WebhookDelivery delivery) => JsonNode.Parse(delivery.Payload)!["data"]!;
}
