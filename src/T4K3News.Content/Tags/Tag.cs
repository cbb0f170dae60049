using System.ComponentModel.DataAnnotations;

namespace T4K3News.Content.Tags;

public static class TagLimits
{
    public const int Name = 100;
    public const int Slug = 100;
}

public sealed class Tag
{
    public int Id { get; set; }

    [MaxLength(TagLimits.Slug)]
    public required string Slug { get; set; }

    [MaxLength(TagLimits.Name)]
    public required string Name { get; set; }
}
