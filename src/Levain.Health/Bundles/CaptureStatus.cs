namespace Levain.Health.Bundles;

/// <summary>How a command's output came to be (or not to be) in a bundle.</summary>
public enum CaptureStatus
{
    /// <summary>The command ran and its output is the text.</summary>
    Captured,
    /// <summary>The bundle has no such file and no manifest entry explaining why.</summary>
    Missing,
    /// <summary>The command does not exist on the node.</summary>
    NotInstalled,
    /// <summary>The command did not finish within its timeout.</summary>
    TimedOut,
    /// <summary>The command exited with a failure code; the text (if any) is what it printed.</summary>
    Failed,
}
