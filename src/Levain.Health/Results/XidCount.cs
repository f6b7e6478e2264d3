namespace Levain.Health.Results;

/// <summary>How many XID events of one code one GPU logged (all of the captured log, not just the window): the Prometheus counter.</summary>
public readonly record struct XidCount(int Code, string Gpu, int Events);
