namespace Levain.Bench.Tuner.Peers;

/// <summary>The Optuna peer broke the protocol, answered with an error, died, or did not answer in time.</summary>
public sealed class OptunaPeerException : Exception
{
    public OptunaPeerException()
    {
    }

    public OptunaPeerException(string message)
        : base(message)
    {
    }

    public OptunaPeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
