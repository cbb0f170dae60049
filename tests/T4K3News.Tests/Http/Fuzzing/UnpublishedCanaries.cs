using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using T4K3News.Tests.Caching;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Http.Fuzzing;

/// <summary>
/// Four articles readers must never see, written through the editors' mutations before the fuzzing starts: a draft, one
/// scheduled for later, one archived and one unpublished back to draft (the last two were public once). Each carries
/// made-up words, in no other article, in its title, standfirst and body, and a visible article links to all four. Any
/// answer to a request without the editor's token that holds one of those words (the request did not send itself)
/// leaks unpublished content.
/// </summary>
public sealed partial class UnpublishedCanaries
{
    private static readonly (string State, string Title, string Standfirst, string Body)[] Articles =
    [
        ("draft", "Vorpelquin accord", "Drazzlemoth", "Quintabrix"),
        ("scheduled", "Zelfabrunt embargo", "Morglitude", "Plonkavire"),
        ("archived", "Skravendel inquiry", "Fizzlequarn", "Brumtoxeal"),
        ("unpublished", "Glimmerosk memo", "Wentrapholy", "Cruxvandel"),
    ];

    /// <summary>The words (lower case) that only the four articles have.</summary>
    public IReadOnlyList<string> Words { get; } =
        Articles.SelectMany(a => new[] { a.Title.Split(' ')[0], a.Standfirst, a.Body }).Select(w => w.ToLowerInvariant()).ToList();

    /// <summary>The four articles' slugs and global ids.</summary>
    public IReadOnlyList<string> Slugs { get; private init; } = [];

    public IReadOnlyList<string> Ids { get; private init; } = [];

    /// <summary>Words of visible headlines, for searches that join a hidden word to a visible one (<c>or</c>).</summary>
    public IReadOnlyList<string> VisibleWords { get; private init; } = [];

    /// <summary>The tag the four carry beside visible articles, for tag pages and feeds.</summary>
    public string TagSlug { get; private init; } = "";

    private string editorAuthorization = "";

    /// <summary>Writes the four articles as the editor (of the seeded newsroom) and reads what readers see.</summary>
    public static async Task<UnpublishedCanaries> WriteAsync(HttpClient server, string editorToken)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", editorToken);
        var editor = new GraphQLClient(http);
        var tags = await editor.QueryAsync("{ tags(first: 50) { nodes { id slug } } }");
        var tag = tags["tags"]!["nodes"]!.AsArray().First()!;
        var slugs = new List<string>();
        var ids = new List<string>();
        foreach (var (state, title, standfirst, body) in Articles)
        {
            var created = await editor.QueryAsync(
                "mutation ($input: CreateArticleInput!) { createArticle(input: $input) { article { id slug } errors { __typename } } }",
                new { input = new { title, standfirst = $"{standfirst} said more.", body = $"It was {body} all along.", tagIds = new[] { tag["id"].Text() } } });
            var slug = created["createArticle"]!["article"]!["slug"].Text()!;
            var (id, version) = await Newsroom.ArticleAsync(editor, slug);
            slugs.Add(slug);
            ids.Add(id);
            if (state == "draft")
                continue;
            var at = state == "scheduled" ? DateTime.UtcNow.AddDays(30) : (DateTime?)null;
            await Newsroom.MutateAsync(editor, "publishArticle", new { id, expectedVersion = version, at });
            if (state == "scheduled")
                continue;
            (_, version) = await Newsroom.ArticleAsync(editor, slug);
            await Newsroom.MutateAsync(editor, state == "archived" ? "archiveArticle" : "unpublishArticle", new { id, expectedVersion = version });
        }

        var visible = await new GraphQLClient(server).QueryAsync("{ articles(first: 50) { nodes { id slug version title } } }");
        var first = visible["articles"]!["nodes"]!.AsArray().First()!;
        await Newsroom.MutateAsync(editor, "updateArticle", new { id = first["id"].Text(), expectedVersion = first["version"]!.GetValue<int>(), relatedArticleIds = ids });
        var words = visible["articles"]!["nodes"]!.AsArray()
            .SelectMany(a => Word().Matches(a!["title"].Text()!).Select(m => m.Value.ToLowerInvariant()))
            .Where(w => w.Length >= 5)
            .Distinct()
            .ToList();
        return new UnpublishedCanaries
        {
            Slugs = slugs, Ids = ids, VisibleWords = words, TagSlug = tag["slug"].Text()!, editorAuthorization = $"Bearer {editorToken}",
        };
    }

    /// <summary>
    /// The hidden word an answer (its headers and body) holds that its request did not send, when the request was not
    /// the editor's; null when it leaks none.
    /// </summary>
    public string? Leaked(HostileRequest request, HttpResponseMessage response, string body)
    {
        if (request.Authorization == editorAuthorization)
            return null;
        var retired = retiredWords;
        var answer = new StringBuilder(body);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            answer.Append('\n').Append(name).Append(": ").AppendJoin(", ", values);
        var asked = SentText(request);
        var said = answer.ToString();
        return Words.FirstOrDefault(w => !retired.Contains(w)
            && said.Contains(w, StringComparison.OrdinalIgnoreCase)
            && !asked.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private volatile HashSet<string> retiredWords = [];

    /// <summary>
    /// Called before an editor's request is sent. The fuzzer's editor may write a hidden word into public content (a
    /// tag named after it, a published article's text) or publish, restore or edit one of the four articles (by its id
    /// or slug); from then on readers may rightly see those words, so the oracle stops counting them.
    /// </summary>
    public void Retire(HostileRequest request)
    {
        if (request.Authorization != editorAuthorization)
            return;
        var sent = SentText(request);
        var words = Words.Where(w => sent.Contains(w, StringComparison.OrdinalIgnoreCase)).ToList();
        for (var i = 0; i < Ids.Count; i++)
        {
            if (sent.Contains(Ids[i], StringComparison.Ordinal) || sent.Contains(Slugs[i], StringComparison.OrdinalIgnoreCase))
                words.AddRange(Words.Skip(3 * i).Take(3));
        }

        if (words.Count == 0)
            return;
        lock (this)
            retiredWords = [.. retiredWords, .. words];
    }

    /// <summary>What the request sent, as text: a word it sent may come back in an error that names it.</summary>
    private static string SentText(HostileRequest request)
    {
        var path = request.PathAndQuery;
        try
        {
            path = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            // A malformed escape: the raw text still holds any word it sent.
        }

        return path + "\n" + (request.Body is null ? "" : Encoding.UTF8.GetString(request.Body));
    }

    /// <summary>A word with one letter dropped, doubled, swapped with the next or replaced: near enough for "did you mean".</summary>
    public static string Misspelled(string word, Random random)
    {
        var at = random.Next(1, word.Length - 1);
        return random.Next(3) switch
        {
            0 => word.Remove(at, 1),
            1 => string.Concat(word[..at], word[at + 1].ToString(), word[at].ToString(), word[(at + 2)..]),
            _ => string.Concat(word[..at], ((char)('a' + (word[at] - 'a' + random.Next(1, 26)) % 26)).ToString(), word[(at + 1)..]),
        };
    }

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex Word();
}
