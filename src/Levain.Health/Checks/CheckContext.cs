using Levain.Health.Baseline;
using Levain.Health.Bundles;
using Levain.Health.Profiles;

namespace Levain.Health.Checks;

/// <summary>Everything a check may look at: the captured outputs, the machine profile, the optional baseline, and "now".</summary>
public sealed record CheckContext(Bundle Bundle, HealthProfile Profile, DmesgBaseline? Baseline, DateTimeOffset Now);
