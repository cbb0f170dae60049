namespace T4K3News.Content.Publications;

/// <summary>The site an article appears on, e.g. "T4K3.news".</summary>
public sealed class Publication
{
    public int Id { get; set; }
    public required string Name { get; set; }
}
