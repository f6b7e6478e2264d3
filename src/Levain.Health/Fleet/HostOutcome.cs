namespace Levain.Health.Fleet;

/// <summary>How reaching one host went. Only <see cref="Completed"/> hosts have analysed results.</summary>
public enum HostOutcome
{
    /// <summary>The collection script ran; the node report says how healthy the node is (possibly unknown).</summary>
    Completed,
    /// <summary>Nothing answered: connection refused, no route, name not resolved.</summary>
    Unreachable,
    /// <summary>Something answered but did not finish in time (connect, banner exchange or the whole host budget).</summary>
    TimedOut,
    /// <summary>SSH reached the host but could not run the script: host key rejected, authentication failed, remote error.</summary>
    Failed,
}
