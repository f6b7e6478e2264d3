using Levain.Health.Baseline;
using Levain.Health.Bundles;
using Levain.Health.Counters;
using Levain.Health.Profiles;

namespace Levain.Health.Checks;

/// <summary>Everything a check may look at: the captured outputs, the machine profile, the optional baseline, and "now".</summary>
public sealed record CheckContext(Bundle Bundle, HealthProfile Profile, DmesgBaseline? Baseline, DateTimeOffset Now)
{
    /// <summary>
    /// The node's error counters at the previous run (from the state directory). When set, NVLink and InfiniBand error
    /// counters are judged by their increase since then, and a counter seen for the first time is only a baseline;
    /// when null (offline analysis without state) their absolute values are judged.
    /// </summary>
    public CounterSnapshot? PreviousCounters { get; init; }
}
