using Levain.Bench.Train;

namespace Levain.Bench.Tests.Train;

public sealed class LauncherAllocatorTests
{
    [Fact]
    public void TheBenchmarksLauncherSide_UsesTheMallocConfTheLauncherExports()
    {
        // bench train's "as ./levain runs" side must measure what the wrapper really sets.
        var wrapper = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "levain"));
        Assert.Contains($"export MALLOC_CONF=\"${{MALLOC_CONF:-{TrainBench.LauncherMallocConf}}}\"", wrapper, StringComparison.Ordinal);
    }
}
