using Xunit;

namespace Levain.TestSupport;

/// <summary>The built CLI (src/Levain.Cli/bin/Release/net10.0/levain.dll) as a real child process of the dotnet host.</summary>
public static class LevainProcess
{
    /// <summary>levain.dll of the Release build in this checkout; fails the test when it has not been built.</summary>
    public static string DllPath
    {
        get
        {
            var dll = System.IO.Path.Combine(RepositoryRoot.Path, "src", "Levain.Cli", "bin", "Release", "net10.0", "levain.dll");
            Assert.True(System.IO.File.Exists(dll), $"{dll} is missing; build the solution in Release first (./test.sh does)");
            return dll;
        }
    }

    /// <summary>Starts <c>levain ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, params string[] args) => ChildProcess.Start("dotnet", [DllPath, .. args], workingDirectory);
}
