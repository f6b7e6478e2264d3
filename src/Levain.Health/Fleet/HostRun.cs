using Levain.Health.Bundles;

namespace Levain.Health.Fleet;

/// <summary>One host's collection over SSH: outcome, detail, the bundle when it ran, and when it started and ended.</summary>
public sealed record HostRun(HostEntry Host, HostOutcome Outcome, string Detail, Bundle? Bundle, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);
