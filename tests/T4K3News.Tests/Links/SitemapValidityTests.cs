using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using T4K3News.Api.Syndication;
using T4K3News.Content.Auth;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Links;

/// <summary>A site that starts with nothing published.</summary>
public sealed class QuietSiteApi : ContentApi
{
    protected override string? SeedsFolder => null;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Site:BaseUrl"] = "https://www.t4k3.news",
    };
}

public sealed class SitemapValidityTests(QuietSiteApi api) : IClassFixture<QuietSiteApi>
{
    private static readonly XNamespace Sitemap = Sitemaps.SitemapNamespace;
    private static readonly XNamespace News = Sitemaps.NewsNamespace;

    [Fact]
    public async Task Sitemaps_are_never_empty_a_bare_site_lists_its_front_page_and_a_quiet_news_window_its_newest_article()
    {
        var client = api.CreateClient();

        foreach (var path in new[] { "/sitemap.xml", "/sitemap-news.xml" })
        {
            var bare = await ValidAsync(client, path);
            var frontPage = Assert.Single(bare.Root!.Elements(Sitemap + "url"));
            Assert.Equal("""<url xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><loc>https://www.t4k3.news/</loc></url>""",
                frontPage.ToString(SaveOptions.DisableFormatting));
        }

        var editor = await api.CreateClientWithRoleAsync(TokenRole.Editor);
        var now = api.Clock.GetUtcNow().UtcDateTime;
        await PastPublication.PublishAsync(editor, api.Clock, "Three days old", now.AddDays(-3));
        await PastPublication.PublishAsync(editor, api.Clock, "Four days old", now.AddDays(-4));

        var quiet = await ValidAsync(client, "/sitemap-news.xml");
        var newest = Assert.Single(quiet.Root!.Elements(Sitemap + "url"));
        Assert.Equal("https://www.t4k3.news/articles/three-days-old", newest.Element(Sitemap + "loc")!.Value);
        Assert.Null(newest.Element(News + "news"));
        Assert.Equal(2, (await ValidAsync(client, "/sitemap.xml")).Root!.Elements(Sitemap + "url").Count());

        await PastPublication.PublishAsync(editor, api.Clock, "An hour old", now.AddHours(-1));

        var recent = await ValidAsync(client, "/sitemap-news.xml");
        var fresh = Assert.Single(recent.Root!.Elements(Sitemap + "url"));
        Assert.Equal("https://www.t4k3.news/articles/an-hour-old", fresh.Element(Sitemap + "loc")!.Value);
        Assert.Equal("An hour old", fresh.Element(News + "news")!.Element(News + "title")!.Value);
    }

    /// <summary>The document, after checking it against the rules of the sitemaps.org and Google News schemas.</summary>
    private static async Task<XDocument> ValidAsync(HttpClient client, string path)
    {
        var document = XDocument.Parse(await client.GetStringAsync(path));
        var problems = new List<string>();
        document.Validate(Schemas.Value, (_, e) => problems.Add($"{path}: {e.Message}"));
        Assert.Empty(problems);
        return document;
    }

    /// <summary>
    /// The parts of sitemaps.org's sitemap.xsd and siteindex.xsd (0.9) and Google's sitemap-news.xsd that the server's
    /// documents use, written here so that the test needs no network: a <c>urlset</c> holds at least one <c>url</c>, a
    /// <c>sitemapindex</c> at least one <c>sitemap</c>, and elements of other namespaces inside a <c>url</c> are checked
    /// strictly against their own schema.
    /// </summary>
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        const string sitemap = """
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
                        targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
                        xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <xsd:element name="urlset">
                <xsd:complexType>
                  <xsd:sequence>
                    <xsd:element name="url" maxOccurs="unbounded">
                      <xsd:complexType>
                        <xsd:sequence>
                          <xsd:element name="loc" type="tLoc"/>
                          <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
                          <xsd:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/>
                        </xsd:sequence>
                      </xsd:complexType>
                    </xsd:element>
                  </xsd:sequence>
                </xsd:complexType>
              </xsd:element>
              <xsd:element name="sitemapindex">
                <xsd:complexType>
                  <xsd:sequence>
                    <xsd:element name="sitemap" maxOccurs="unbounded">
                      <xsd:complexType>
                        <xsd:sequence>
                          <xsd:element name="loc" type="tLoc"/>
                          <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
                        </xsd:sequence>
                      </xsd:complexType>
                    </xsd:element>
                  </xsd:sequence>
                </xsd:complexType>
              </xsd:element>
              <xsd:simpleType name="tLoc">
                <xsd:restriction base="xsd:anyURI">
                  <xsd:minLength value="12"/>
                  <xsd:maxLength value="2048"/>
                </xsd:restriction>
              </xsd:simpleType>
              <xsd:simpleType name="tLastmod">
                <xsd:union memberTypes="xsd:date xsd:dateTime"/>
              </xsd:simpleType>
            </xsd:schema>
            """;
        const string news = """
            <xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
                        targetNamespace="http://www.google.com/schemas/sitemap-news/0.9"
                        xmlns="http://www.google.com/schemas/sitemap-news/0.9">
              <xsd:element name="news">
                <xsd:complexType>
                  <xsd:sequence>
                    <xsd:element name="publication">
                      <xsd:complexType>
                        <xsd:sequence>
                          <xsd:element name="name" type="xsd:string"/>
                          <xsd:element name="language" type="xsd:language"/>
                        </xsd:sequence>
                      </xsd:complexType>
                    </xsd:element>
                    <xsd:element name="publication_date">
                      <xsd:simpleType>
                        <xsd:union memberTypes="xsd:date xsd:dateTime"/>
                      </xsd:simpleType>
                    </xsd:element>
                    <xsd:element name="title" type="xsd:string"/>
                  </xsd:sequence>
                </xsd:complexType>
              </xsd:element>
            </xsd:schema>
            """;
        var schemas = new XmlSchemaSet();
        foreach (var schema in new[] { sitemap, news })
            schemas.Add(null, XmlReader.Create(new StringReader(schema)));
        schemas.Compile();
        return schemas;
    });
}
