namespace T4K3News.Content.Import;

public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Import <see cref="SeedsPath"/> when the server starts.</summary>
    public bool OnStartup { get; set; } = true;

    /// <summary>The folder of seed documents (*.txt) and the tag vocabulary (tags.json); relative paths are looked up from the working directory upwards.</summary>
    public string SeedsPath { get; set; } = "seeds";

    /// <summary>The time zone the documents' publication times are written in (an IANA id such as "Europe/Kyiv").</summary>
    public string TimeZone { get; set; } = "UTC";
}
