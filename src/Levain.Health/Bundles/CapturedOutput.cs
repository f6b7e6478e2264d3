namespace Levain.Health.Bundles;

/// <summary>One command's captured output (or the reason there is none).</summary>
public sealed record CapturedOutput(string FileName, CaptureStatus Status, string? Text, string Detail)
{
    public bool IsAvailable => Status == CaptureStatus.Captured && Text is not null;

    /// <summary>A one-line reason used in unknown results: "dmesg.txt: timed out after 10 s".</summary>
    public string Describe() => Status switch
    {
        CaptureStatus.Captured => $"{FileName}: captured",
        CaptureStatus.Missing => $"{FileName}: not in the bundle",
        CaptureStatus.NotInstalled => $"{FileName}: command not installed{Suffix}",
        CaptureStatus.TimedOut => $"{FileName}: command timed out{Suffix}",
        CaptureStatus.Failed => $"{FileName}: command failed{Suffix}",
        _ => FileName,
    };

    private string Suffix => string.IsNullOrWhiteSpace(Detail) ? "" : $" ({Detail})";
}
