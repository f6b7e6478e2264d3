namespace Levain.Lm.Runs;

/// <summary>Either a valid spec or one message saying what is wrong with the settings (expected failures are values).</summary>
public sealed record TrainRunSpecOutcome(TrainRunSpec? Spec, string? Problem)
{
    public bool IsFailure => Problem is not null;

    public static TrainRunSpecOutcome Success(TrainRunSpec spec) => new(spec, null);

    public static TrainRunSpecOutcome Failure(string problem) => new(null, problem);
}
