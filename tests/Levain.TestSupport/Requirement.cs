using Xunit;

namespace Levain.TestSupport;

/// <summary>
/// Tests that need a real server or tool skip on a developer machine without it, but fail under <c>CI=true</c>, where
/// ci/setup/ must have provided it (Npgsql's rule).
/// </summary>
public static class Requirement
{
    /// <summary>True when the CI environment variable is "true" (any case).</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test (or fails it under CI) with <paramref name="reason"/>; never returns.</summary>
    public static void Missing(string reason, string ciHint)
    {
        if (IsCi) Assert.Fail($"{reason} under CI=true; {ciHint}");
        Assert.Skip(reason);
    }

    /// <summary>The value of an environment variable a set-up script exports, or skip/fail as <see cref="Missing"/> says.</summary>
    public static string EnvironmentVariable(string variable, string ciHint)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        Missing($"{variable} is not set", ciHint);
        return "";
    }

    /// <summary>The first of <paramref name="paths"/> that exists, or skip/fail as <see cref="Missing"/> says.</summary>
    public static string Executable(string what, string ciHint, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (System.IO.File.Exists(path)) return path;
        }
        Missing($"{what} not found (looked at {string.Join(", ", paths)})", ciHint);
        return "";
    }
}
