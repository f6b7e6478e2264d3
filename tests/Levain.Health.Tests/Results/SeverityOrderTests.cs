using CsCheck;
using Levain.Health.Results;

namespace Levain.Health.Tests.Results;

public sealed class SeverityOrderTests
{
    private static readonly Gen<Severity> Severities = Gen.Enum<Severity>();

    [Fact]
    public void Worst_Meets_Specification()
    {
        Severities.Array[0, 12].Sample(values =>
        {
            var worst = SeverityOrder.Worst(values);
            // never better than any member; always one of them (or unknown for nothing checked)
            return values.Length == 0 ? worst == Severity.Unknown
                : values.Contains(worst) && values.All(v => SeverityOrder.Rank(v) <= SeverityOrder.Rank(worst));
        });
    }

    [Fact]
    public void Worst_UnknownNeverHidesAsOk()
    {
        Assert.Equal(Severity.Unknown, SeverityOrder.Worst([Severity.Ok, Severity.Unknown, Severity.Warning]));
        Assert.Equal(Severity.Critical, SeverityOrder.Worst([Severity.Unknown, Severity.Critical]));
        Assert.Equal(Severity.Unknown, SeverityOrder.Worst([]));
    }

    [Fact]
    public void ExitCode_NagiosConvention() =>
        Assert.Equal([0, 1, 2, 3], new[] { Severity.Ok, Severity.Warning, Severity.Critical, Severity.Unknown }.Select(SeverityOrder.ExitCode));
}
