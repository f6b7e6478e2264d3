using Levain.Health.Results;

namespace Levain.Health.Xid;

/// <summary>What an XID code means for a node: how bad, and what to do.</summary>
public sealed record XidRule(Severity Severity, Remediation Remediation, string Meaning);
