using System.Security.Cryptography;
using Levain.Cli.Tests.Study;

namespace Levain.Cli.Tests.Demo;

/// <summary>
/// <c>levain demo --dir</c> on a directory Levain did not make (a project with sources and a .git folder) is refused
/// in one line with exit code 64, fresh or --resume, and every file in it is left exactly as it was.
/// </summary>
public sealed class DemoDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("levain-demo-foreign-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Demo_NonEmptyForeignDirectory_RefusedAndEveryFileIntact(bool resume)
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_dir, ".git", "objects"));
        Directory.CreateDirectory(Path.Combine(_dir, "src"));
        Directory.CreateDirectory(Path.Combine(_dir, "logs"));
        await File.WriteAllTextAsync(Path.Combine(_dir, ".git", "HEAD"), "ref: refs/heads/main\n", ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, ".git", "objects", "pack"), RandomNumberGenerator.GetBytes(4096), ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "src", "train.py"), "print('hello')\n", ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "logs", "run.log"), "my own log\n", ct);
        var before = Snapshot(_dir);

        string[] args = resume ? ["demo", "--quick", "--dir", _dir, "--resume"] : ["demo", "--quick", "--dir", _dir];
        using var process = LevainProcess.Start(Path.GetTempPath(), args);
        var exit = await process.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(64, exit);
        var line = Assert.Single(process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not a Levain demo directory", line, StringComparison.Ordinal);
        Assert.Contains(_dir, line, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_dir));
    }

    /// <summary>Every file and directory under <paramref name="root"/> with the SHA-256 of each file.</summary>
    private static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}" : p + "/")];

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
