using System.Globalization;

namespace Levain.Cli.Rendering;

/// <summary>Short, invariant number text for tables and status lines: 0.00312, 1234, 6.32e4, 2.99e-4.</summary>
internal static class NumberText
{
    public static string Format(double? value)
    {
        if (value is not double v) return "-";
        if (!double.IsFinite(v)) return v.ToString(CultureInfo.InvariantCulture);
        var magnitude = Math.Abs(v);
        return magnitude != 0 && (magnitude >= 1e4 || magnitude < 1e-3)
            ? v.ToString("0.###e0", CultureInfo.InvariantCulture)
            : v.ToString("G4", CultureInfo.InvariantCulture);
    }
}
