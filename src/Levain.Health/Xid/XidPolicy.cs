using Levain.Health.Results;

namespace Levain.Health.Xid;

/// <summary>
/// The XID table: code → severity → remediation, seeded from NVIDIA's Xid catalog (<see cref="XidCatalog"/>, version
/// in <see cref="XidCatalog.Version"/>) by resolution bucket. A code not in the table is a warning ("unknown XID N,
/// see the catalog"), never critical on its own: the driver's own recovery action (nvidia-smi's
/// <c>gpu_recovery_action</c>, or an Xid 154 line) decides whether the GPU needs more. Profiles may override codes.
/// </summary>
public sealed record XidPolicy(IReadOnlyDictionary<int, XidRule> Rules, XidRule Unlisted)
{
    /// <summary>The default table, derived from the catalog's immediate-action buckets.</summary>
    public static XidPolicy Default { get; } = new(
        XidCatalog.Entries.ToDictionary(kv => kv.Key, kv => XidCatalog.RuleFor(kv.Value.Bucket, kv.Value.Description)),
        new XidRule(Severity.Warning, Remediation.Investigate, "unknown XID, see NVIDIA's Xid catalog"));

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
