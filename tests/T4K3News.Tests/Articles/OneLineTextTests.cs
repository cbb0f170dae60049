using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;
using T4K3News.Tests.Links;

namespace T4K3News.Tests.Articles;

/// <summary>
/// Headlines, kickers, standfirsts and the names of tags and authors are one line: they reach feeds, page titles and
/// headers, where a line break or a control character breaks or forges a line. Body text keeps its paragraphs.
/// </summary>
public sealed class OneLineTextTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Theory]
    [InlineData("title", "Peace talks\nresume")]
    [InlineData("title", "Peace talks\r\nresume")]
    [InlineData("title", "Peace\ttalks")]
    [InlineData("title", "Peace talks\u2028resume")]
    [InlineData("kicker", "Live\u0007")]
    [InlineData("standfirst", "Talks resume.\u0085Both sides agree.")]
    [InlineData("standfirst", "Talks resume.\u2029Both sides agree.")]
    public async Task A_line_break_or_control_character_in_a_one_line_text_is_a_validation_error_at_its_path(
        string field, string text)
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var input = new Dictionary<string, object?>
        {
            ["title"] = "Peace talks resume", ["standfirst"] = "S.", ["body"] = "B.", [field] = text,
        };

        var refused = await Slugs.CreateArticleAsync(editor, input);

        Assert.Null(refused["article"]);
        Assert.Equal(("ValidationError", field), Slugs.Error(refused));
        Assert.Equal(
            "One line: no line breaks, tabs or other control characters.",
            refused["errors"]![0]!["message"].Text());
    }

    [Fact]
    public async Task A_body_keeps_its_paragraphs_and_a_headline_its_right_to_left_marks_and_emoji()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        const string Title = "\u200Fالقاهرة تستضيف قمة السلام 🕊️";

        var created = await Slugs.CreateArticleAsync(
            editor, new { title = Title, standfirst = "S.", body = "First paragraph.\n\nSecond paragraph." });

        Assert.Null(created["errors"]);
        Assert.Equal(Title, created["article"]!["title"].Text());
    }

    [Fact]
    public async Task A_tag_or_author_name_with_a_line_break_is_a_validation_error_at_name()
    {
        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);

        var tag = await Slugs.CreateTagAsync(editor, new { name = "Ukraine\nWar" });
        var author = await Slugs.CreateAuthorAsync(editor, new { name = "Ada\rLovelace" });

        Assert.Equal(("ValidationError", "name"), Slugs.Error(tag));
        Assert.Equal(("ValidationError", "name"), Slugs.Error(author));
        Assert.Null(tag["tag"]);
        Assert.Null(author["author"]);
    }
}
