using Levain.Health.Results;

namespace Levain.Health.Xid;

/// <summary>
/// The XID table: code → severity → remediation. Codes not in the table get <see cref="Unlisted"/> (critical by
/// default: an XID we do not know is treated as hardware until someone says otherwise).
/// </summary>
public sealed record XidPolicy(IReadOnlyDictionary<int, XidRule> Rules, XidRule Unlisted)
{
    private static readonly XidRule App = new(Severity.Warning, Remediation.CheckApplication, "application-caused");

    /// <summary>The default table, from NVIDIA's XID catalogue and GPU deployment guides.</summary>
    public static XidPolicy Default { get; } = new(new Dictionary<int, XidRule>
    {
        [13] = App with { Meaning = "graphics engine exception (usually the application)" },
        [31] = App with { Meaning = "GPU memory page fault (usually the application)" },
        [43] = App with { Meaning = "GPU stopped processing (application fault)" },
        [45] = App with { Meaning = "preemptive cleanup after an earlier error" },
        [48] = new(Severity.Critical, Remediation.ResetGpu, "double-bit ECC error"),
        [61] = new(Severity.Critical, Remediation.ResetGpu, "internal micro-controller breakpoint"),
        [62] = new(Severity.Critical, Remediation.ResetGpu, "internal micro-controller halt"),
        [63] = new(Severity.Critical, Remediation.ResetGpu, "ECC page retirement or row remapping recorded"),
        [64] = new(Severity.Critical, Remediation.Rma, "ECC page retirement or row remapping failed"),
        [74] = new(Severity.Critical, Remediation.ReseatCable, "NVLink error"),
        [79] = new(Severity.Critical, Remediation.Reboot, "GPU has fallen off the bus"),
        [92] = new(Severity.Critical, Remediation.ResetGpu, "high single-bit ECC error rate"),
        [94] = new(Severity.Critical, Remediation.ResetGpu, "contained ECC error"),
        [95] = new(Severity.Critical, Remediation.ResetGpu, "uncontained ECC error"),
        [119] = new(Severity.Critical, Remediation.Reboot, "GSP RPC timeout"),
        [120] = new(Severity.Critical, Remediation.Reboot, "GSP error"),
        [140] = new(Severity.Critical, Remediation.Rma, "unrecovered ECC error"),
    }, new XidRule(Severity.Critical, Remediation.Investigate, "unlisted XID"));

    public XidRule RuleFor(int code) => Rules.TryGetValue(code, out var rule) ? rule : Unlisted;

    /// <summary>A copy with some rules replaced or added (profile overrides).</summary>
    public XidPolicy With(IReadOnlyDictionary<int, XidRule> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var rules = new Dictionary<int, XidRule>(Rules);
        foreach (var (code, rule) in overrides)
        {
            rules[code] = rule;
        }
        return this with { Rules = rules };
    }
}
