using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using T4K3News.Content.Articles;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Syndication;

/// <summary>
/// An article as a schema.org <c>NewsArticle</c> in JSON-LD, for a front end to put in
/// <c>&lt;script type="application/ld+json"&gt;</c>. Written with <see cref="Utf8JsonWriter"/> and the default
/// JavaScript encoder, which escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, quotes and every non-ASCII character as
/// <c>\uXXXX</c>: valid JSON whatever the text, and never a <c>&lt;/script&gt;</c> inside the script element.
/// </summary>
public static class NewsArticleJsonLd
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    /// <param name="tags">The article's tags, by name.</param>
    /// <param name="credits">Its bylines and corrections.</param>
    /// <param name="site">The site, which stands as the author of an article that credits none.</param>
    public static string Of(
        Article article, string url, string publicationName, IReadOnlyList<Tag> tags, Authors.ArticleCredits credits,
        SiteOptions site)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("@context", "https://schema.org");
            json.WriteString("@type", "NewsArticle");
            json.WriteString("headline", article.Title);
            json.WriteString("description", article.Standfirst);
            // The first publication: a story unpublished and published again, or rescheduled, was published then.
            if ((article.FirstPublishedAt ?? article.PublishedAt) is { } publishedAt)
                json.WriteString("datePublished", Utc(publishedAt));
            // An article edited before its scheduled publication was not modified before it was published.
            // A correction moves updatedAt, so it raises dateModified too.
            json.WriteString("dateModified", Utc(article.PublishedAt is { } published && published > article.UpdatedAt ? published : article.UpdatedAt));
            json.WriteStartObject("mainEntityOfPage");
            json.WriteString("@type", "WebPage");
            json.WriteString("@id", url);
            json.WriteEndObject();
            json.WriteString("url", url);

            json.WriteStartObject("publisher");
            json.WriteString("@type", "Organization");
            json.WriteString("name", publicationName);
            json.WriteEndObject();

            // Each byline under the property its role maps to (author, editor, contributor), in the editor's order.
            foreach (var people in credits.People.GroupBy(p => p.SchemaOrgProperty))
            {
                json.WriteStartArray(people.Key);
                foreach (var person in people)
                {
                    json.WriteStartObject();
                    json.WriteString("@type", "Person");
                    json.WriteString("name", person.Name);
                    if (person.Url is { } personUrl)
                        json.WriteString("url", personUrl);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            // Google's Article guidance wants an author; wire copy and desk pieces credit nobody: the site signs them.
            if (!credits.People.Any(p => p.SchemaOrgProperty == "author"))
            {
                json.WriteStartArray("author");
                json.WriteStartObject();
                json.WriteString("@type", "Organization");
                json.WriteString("name", site.Title);
                json.WriteString("url", site.BaseUrl);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            if (credits.Corrections.Count > 0)
            {
                json.WriteStartArray("correction");
                foreach (var correction in credits.Corrections)
                {
                    json.WriteStartObject();
                    json.WriteString("@type", "CorrectionComment");
                    json.WriteString("text", correction.Text);
                    json.WriteString("datePublished", Utc(correction.DatePublished));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (tags.Count > 0)
            {
                json.WriteStartArray("keywords");
                foreach (var tag in tags)
                    json.WriteStringValue(tag.Name);
                json.WriteEndArray();
            }

            // The section is obvious only when the article has exactly one tag; with several, none is the section.
            if (tags.Count == 1)
                json.WriteString("articleSection", tags[0].Name);

            // The model keeps the hero image's texts, not its file: the image is described, without a URL.
            if (article.HeroImageAltText is not null || article.HeroImageCaption is not null)
            {
                json.WriteStartObject("image");
                json.WriteString("@type", "ImageObject");
                if (article.HeroImageCaption is { } caption)
                    json.WriteString("caption", caption);
                if (article.HeroImageAltText is { } altText)
                    json.WriteString("description", altText);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
