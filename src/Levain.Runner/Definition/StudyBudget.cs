namespace Levain.Runner.Definition;

/// <summary>
/// When a study stops: after <see cref="Trials"/> trials (abandoned ones not counted), once the summed cost of
/// finished trials reaches <see cref="Cost"/>, or after <see cref="Wall"/> of wall time in one session — whichever
/// comes first. Null means no limit of that kind.
/// </summary>
public sealed record StudyBudget(int? Trials, double? Cost, TimeSpan? Wall)
{
    /// <summary>The default budget: 50 trials.</summary>
    public static StudyBudget Default { get; } = new(50, null, null);
}
