using Levain.TestSupport;

namespace Levain.Cli.Tests.Contract;

/// <summary>
/// Levain installs like a .NET tool: the CLI project packed (from the Release build the suite runs on) and installed
/// with <c>dotnet tool install --tool-path</c> from that local feed; the installed <c>levain</c> answers
/// <c>--version</c> and trains a two-step model (its TorchSharp natives came with the package).
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly TempDirectory _dir = new("levain-tool-");

    [Fact]
    public async Task PackThenDotnetToolInstall_LevainAnswersVersionAndTrains()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = RepositoryRoot.Path;
        var feed = _dir["feed"];
        var (code, output) = await RunAsync("dotnet", ["pack", Path.Combine(root, "src", "Levain.Cli", "Levain.Cli.csproj"), "-c", "Release", "--no-build", "-o", feed, "-nologo"], root, ct);
        Assert.True(code == 0, output);
        var package = Assert.Single(Directory.GetFiles(feed, "Levain.Cli.*.nupkg"));

        var tools = _dir["tools"];
        (code, output) = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "Levain.Cli", "--add-source", feed, "--ignore-failed-sources"], _dir.Path, ct);
        Assert.True(code == 0, output);
        Assert.Contains("was successfully installed", output, StringComparison.Ordinal);

        var levain = Path.Combine(tools, "levain");
        (code, output) = await RunAsync(levain, ["--version"], _dir.Path, ct);
        Assert.True(code == 0, output);
        var version = Path.GetFileNameWithoutExtension(package)["Levain.Cli.".Length..];
        Assert.StartsWith(version, output.Trim(), StringComparison.Ordinal);

        (code, output) = await RunAsync(levain, ["train", "--steps", "2", "--warmup", "1", "--width", "16", "--depth", "1", "--heads", "2",
            "--context", "16", "--batch", "2", "--eval-items", "0", "--json"], _dir.Path, ct);
        Assert.True(code == 0, output);
        Assert.Contains("\"tokens\":64", output, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Output)> RunAsync(string program, string[] args, string directory, CancellationToken ct) =>
        ChildProcess.RunAsync(program, args, directory, TimeSpan.FromMinutes(8), cancellationToken: ct);

    public void Dispose() => _dir.Dispose();
}
