using System.ComponentModel.DataAnnotations;

namespace T4K3News.Content.Articles;

/// <summary>What kind of note a correction is.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CorrectionKind>))]
public enum CorrectionKind
{
    /// <summary>The article said something wrong.</summary>
    Correction,

    /// <summary>The article was right but could be misread.</summary>
    Clarification,

    /// <summary>The story moved on after publication.</summary>
    Update,
}

/// <summary>How long a correction's text may be, and how many an article may carry.</summary>
public static class CorrectionLimits
{
    public const int Text = 2_000;
    public const int PerArticle = 50;
}

/// <summary>A public note appended to an article after a change; corrections are only ever added, oldest first.</summary>
public sealed record Correction
{
    public required CorrectionKind Kind { get; init; }

    /// <summary>The note as readers see it.</summary>
    [MaxLength(CorrectionLimits.Text)]
    public required string Text { get; init; }

    /// <summary>When the note was added.</summary>
    public required DateTime CreatedAt { get; init; }
}
