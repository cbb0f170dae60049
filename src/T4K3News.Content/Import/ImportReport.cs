namespace T4K3News.Content.Import;

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

/// <summary>What happened to one document. <see cref="Line"/> is set when a failure points at a line of the file.</summary>
public sealed record ImportedDocument(string File, ImportOutcome Outcome, string? Slug, string? Message = null, int? Line = null)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        var what = Outcome.ToString().ToLowerInvariant();
        return Message is null ? $"{what,-9} {where} -> {Slug}" : $"{what,-9} {where}{(Slug is null ? "" : $" -> {Slug}")}: {Message}";
    }
}

public sealed record ImportReport(IReadOnlyList<ImportedDocument> Documents, IReadOnlyList<string> Warnings)
{
    public int Count(ImportOutcome outcome) => Documents.Count(d => d.Outcome == outcome);

    public string Summary =>
        $"{Count(ImportOutcome.Created)} created, {Count(ImportOutcome.Updated)} updated, {Count(ImportOutcome.Unchanged)} unchanged, " +
        $"{Count(ImportOutcome.Skipped)} skipped, {Count(ImportOutcome.Failed)} failed";
}
