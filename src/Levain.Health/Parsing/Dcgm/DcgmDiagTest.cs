namespace Levain.Health.Parsing.Dcgm;

/// <summary>
/// One row of <c>dcgmi diag</c>'s table: its section ("Deployment", "Integration", "Hardware", "Stress"), the test
/// name ("PCIe", "Memory"), the result word ("Pass", "Fail", "Warn", "Skip"), what followed the word ("All",
/// "GPU: 0, 2"), and the Warning/Info lines printed under it, rejoined.
/// </summary>
public sealed record DcgmDiagTest(string Section, string Name, string Result, string Scope, IReadOnlyList<string> Details)
{
    public bool IsFailure => Result.Equals("Fail", StringComparison.OrdinalIgnoreCase);

    public bool IsWarning => Result.Equals("Warn", StringComparison.OrdinalIgnoreCase);
}
