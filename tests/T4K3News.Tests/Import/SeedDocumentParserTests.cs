using T4K3News.Content.Articles;
using T4K3News.Content.Import;

namespace T4K3News.Tests.Import;

public sealed class SeedDocumentParserTests
{
    private static SeedDocument ParseSeed(string file)
    {
        var result = SeedDocumentParser.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, file)));
        Assert.Null(result.Error);
        return result.Document!;
    }

    [Fact]
    public void The_source_page_gives_its_site_time_and_hero_image_and_drops_page_chrome()
    {
        var page = ParseSeed("000_0971fd6bffd4bb91.txt");

        Assert.Equal("T4K3.news", page.PublicationName);
        Assert.Equal(new DateTime(2025, 7, 20, 11, 6, 0), page.PublishedAtLocal);
        Assert.Equal("Zelenskyy says Ukraine offered Russia a new round of peace talks", page.Content.HeroImageAltText);
        Assert.Equal("Ukraine's president criticized Russia for evading crucial decisions during the war.", page.Content.HeroImageCaption);
        Assert.Equal(6, page.Content.Takeaways.Count);
        Assert.Equal(4, page.Content.Quotes.Count);
        Assert.Equal(4, page.Content.Highlights.Count);
        Assert.Single(page.Content.Callouts);
        Assert.Empty(page.RelatedTitles);
        Assert.DoesNotContain("favicon", page.Content.Body);
        Assert.DoesNotContain("Enjoyed this?", page.Content.ClosingLine);
    }

    [Fact]
    public void A_page_with_two_takeaways_curly_and_straight_quotes_and_no_highlights_or_callouts()
    {
        var page = ParseSeed("001_baltic_ferry_strike.txt");

        Assert.Equal(["Three ferry operators cancelled all morning departures.", "Unions object to longer shifts without extra pay."], page.Content.Takeaways.Select(t => t.Text));
        Assert.Equal(
            [
                new Quote { Text = "We cannot run a safe ship on exhausted crews.", Speaker = "Kadri Tamm", Context = "Union spokesperson Kadri Tamm explained the walkout at a press briefing." },
                new Quote { Text = "The timetable will return to normal as soon as crews are back.", Speaker = null, Context = "Operators promised refunds for every cancelled crossing." },
            ],
            page.Content.Quotes);
        Assert.Empty(page.Content.Highlights);
        Assert.Empty(page.Content.Callouts);
        Assert.Equal(2, page.Content.Body.Split("\n\n").Length);
        Assert.StartsWith("The dispute shows", page.Content.Analysis);
        Assert.Equal("Both sides are expected back at the table on Monday.", page.Content.ClosingLine);
        Assert.Empty(page.RelatedTitles);
    }

    [Fact]
    public void A_page_with_two_callouts_multi_paragraph_analysis_and_related_news()
    {
        var page = ParseSeed("002_grid_upgrade_kyiv.txt");

        Assert.Equal("Substations reinforced ahead of winter", page.Content.BodyHeading);
        Assert.Equal(3, page.Content.Takeaways.Count);
        Assert.Equal(["Vitali Klitschko", "Olena Marchenko"], page.Content.Quotes.Select(q => q.Speaker));
        Assert.Equal(2, page.Content.Analysis!.Split("\n\n").Length);
        Assert.Equal(["Transformers are being replaced across the capital.", "Hospitals and schools keep backup generators.", "The work must finish before the first frost."], page.Content.Highlights.Select(h => h.Text));
        Assert.Equal(["Deliveries depend on foreign partners", "Smaller substations spread the risk"], page.Content.Callouts.Select(c => c.Title));
        Assert.Equal("Residents are asked to report outages through the city app.", page.Content.ClosingLine);
        Assert.Equal(["Zelenskyy calls for new round of peace talks with Russia", "Baltic ferry crews strike over new rota rules"], page.RelatedTitles);
    }

    [Fact]
    public void A_page_without_hero_image_or_favicon_still_reads()
    {
        var page = ParseSeed("003_central_bank_holds_rates.txt");

        Assert.Null(page.Content.HeroImageAltText);
        Assert.Null(page.Content.HeroImageCaption);
        Assert.Equal("Rates unchanged for a third meeting", page.Content.BodyHeading);
        Assert.Equal(4, page.Content.Takeaways.Count);
        Assert.Equal("Anna Lind", Assert.Single(page.Content.Quotes).Speaker);
        Assert.Equal("Households with variable mortgages will have to wait a few more months for relief.", page.Content.ClosingLine);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("T4K3.news\n\nTitle\n\nStandfirst.\n\nYesterday evening\n", 7, "publication time")]
    [InlineData("T4K3.news\nTitle\nStandfirst.\nJuly 20, 2025 at 11:06 AM\nHeading\nBody.\nKey Takeaways\n✔️\n", 8, "✔️")]
    [InlineData("T4K3.news\nTitle\n", 2, "standfirst")]
    [InlineData("T4K3.news\nTitle\nStandfirst.\nJuly 20, 2025 at 11:06 AM\nHeading\nBody.\n\"Quote.\"\nContext.\nAnalysis.\n  • stray item\nClosing.\n", 10, "Highlights")]
    public void A_malformed_page_is_reported_with_its_line(string text, int line, string mentioned)
    {
        var result = SeedDocumentParser.Parse(text);

        Assert.Null(result.Document);
        Assert.Equal(line, result.Error!.Line);
        Assert.Contains(mentioned, result.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Zelenskyy calls for new round of peace talks with Russia", "zelenskyy-calls-for-new-round-of-peace-talks-with-russia")]
    [InlineData("Ukraine's “grid” — ready?", "ukraines-grid-ready")]
    [InlineData("Škoda plant reopens in Mladá Boleslav", "skoda-plant-reopens-in-mlada-boleslav")]
    public void Slugs_are_lowercase_ascii_words_joined_by_hyphens(string title, string slug)
    {
        Assert.Equal(slug, Slug.From(title));
        Assert.True(Slug.IsValid(slug));
    }

    [Theory]
    [InlineData("Peace-Talks")]
    [InlineData("peace--talks")]
    [InlineData("-peace")]
    [InlineData("")]
    public void Invalid_slugs_are_recognised(string slug) => Assert.False(Slug.IsValid(slug));

    [Fact]
    public void Every_tag_of_the_seed_article_is_explained_by_a_word_of_its_text()
    {
        var vocabulary = TagVocabulary.Load(Path.Combine(RepositoryPaths.Seeds, "tags.json"));
        var content = ParseSeed("000_0971fd6bffd4bb91.txt").Content;

        var matches = vocabulary.Match(content);

        Assert.Equal(["ukraine", "russia", "peace-talks", "sanctions", "european-union", "diplomacy"], matches.Select(m => m.Slug));
        var text = string.Join("\n", content.Title, content.Standfirst, content.Body, content.Analysis, string.Join("\n", content.Takeaways.Select(t => t.Text)),
            string.Join("\n", content.Quotes.Select(q => q.Text + " " + q.Context)), string.Join("\n", content.Highlights.Select(h => h.Text)), content.Callouts[0].Body);
        Assert.All(matches, m => Assert.Contains(m.Word, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Words_match_whole_words_only()
    {
        var vocabulary = new TagVocabulary([new TagDefinition("European Union", "european-union", ["EU"])]);
        var content = new Article { Title = "Eurozone news", Standfirst = "Neutral.", Body = "The EUR rose." };
        var agreed = new Article { Title = "Eurozone news", Standfirst = "Neutral.", Body = "The EU agreed." };

        Assert.Empty(vocabulary.Match(content));
        Assert.Single(vocabulary.Match(agreed));
    }
}
