using System.CommandLine;
using System.Text.Json;
using Levain.Cli.Contract;
using Levain.TestSupport;

namespace Levain.Cli.Tests.Contract;

/// <summary>
/// The contract every command keeps (docs/cli.md): parse errors and bad values exit 64 with one line
/// "levain &lt;command&gt;: …" and no stack trace; every command has --json; help documents the exit codes and is stable.
/// </summary>
public sealed class CliContractTests
{
    /// <summary>Every runnable command, as its path ("study show").</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var path in Leaves(LevainApp.CreateRoot(), [])) data.Add(string.Join(' ', path));
        return data;
    }

    private static IEnumerable<string[]> Leaves(Command command, string[] path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return path;
            yield break;
        }
        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, [.. path, sub.Name])) yield return leaf;
        }
    }

    private static Command Find(string path)
    {
        Command command = LevainApp.CreateRoot();
        foreach (var name in path.Split(' ')) command = command.Subcommands.Single(c => c.Name == name);
        return command;
    }

    private static void AssertOneLineUsageError(string path, int code, string stderr)
    {
        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"levain {path}: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task UnknownFlag_ExitsBadInputWithOneLine(string path)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync([.. path.Split(' '), "--no-such-flag"]);
        AssertOneLineUsageError(path, code, stderr);
        Assert.Contains("--no-such-flag", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task NonNumberForEveryNumericOption_ExitsBadInputWithOneLine(string path)
    {
        var numeric = Find(path).Options.Where(o => Nullable.GetUnderlyingType(o.ValueType) is { } t ? IsNumber(t) : IsNumber(o.ValueType)).ToList();
        foreach (var option in numeric)
        {
            var (code, _, stderr) = await CliRunner.RunAsync([.. path.Split(' '), option.Name, "abc"]);
            AssertOneLineUsageError(path, code, stderr);
            Assert.Contains("abc", stderr, StringComparison.Ordinal);
        }
    }

    private static bool IsNumber(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(float);

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommand_HasJsonAndDocumentsItsExitCodes(string path)
    {
        var command = Find(path);
        // 'chat' is an interactive conversation on a terminal; it has no machine-readable mode ('generate --json' has).
        if (path != "chat") Assert.Contains(command.Options, o => o.Name == "--json");
        Assert.Contains("64 bad input", command.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_MatchesItsSnapshot(string path)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync([.. path.Split(' '), "--help"]);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var file = Path.Combine(SourceDirectory(), "Contract", "Help", path.Replace(' ', '-') + ".txt");
        // The usage line names the running executable (the test host here, "levain" when installed).
        var text = stdout.ReplaceLineEndings("\n").Replace(RootCommand.ExecutableName + " ", "levain ", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("LEVAIN_UPDATE_HELP") == "1") File.WriteAllText(file, text);
        Assert.True(File.Exists(file), $"{file} is missing; run the tests once with LEVAIN_UPDATE_HELP=1 and review the new file");
        Assert.Equal(File.ReadAllText(file), text);
    }

    [Fact]
    public async Task RootHelp_DocumentsTheExitCodes()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("64 bad input or usage", stdout, StringComparison.Ordinal);
        Assert.Contains("docs/cli.md", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputAliases_OldSpellingsBecomeOut_ButNotAfterTheSeparator()
    {
        Assert.Equal(["study", "plot", "x", "--out", "d", "--out=e", "--", "--dir"],
            OutputAliases.Rewrite(["study", "plot", "x", "--output-dir", "d", "--bundles-out=e", "--", "--dir"]));
    }

    [Fact]
    public async Task UnexpectedException_OneLineNamingALogFileWithTheDetails()
    {
        using var dir = new TempDirectory();
        using var error = new StringWriter();
        var previous = Environment.GetEnvironmentVariable("LEVAIN_LOG_DIR");
        Environment.SetEnvironmentVariable("LEVAIN_LOG_DIR", dir.Path);
        try
        {
            var code = TopLevelHandler.Handle(new InvalidOperationException("boom\nsecond line"), "study show", new CliIo(TextWriter.Null, error, false));
            Assert.Equal(ExitCodes.Internal, code);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("levain study show: internal error: boom second line (details in ", line, StringComparison.Ordinal);
            var log = Assert.Single(Directory.GetFiles(dir.Path));
            Assert.Contains("InvalidOperationException", File.ReadAllText(log), StringComparison.Ordinal);
            Assert.Contains(log, line, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEVAIN_LOG_DIR", previous);
        }
    }

    [Fact]
    public void Console_NoColourOffATerminalOrWithNoColor_AndFullWidthOffATerminal()
    {
        var piped = new CliIo(new StringWriter(), TextWriter.Null, IsTerminal: false);
        Assert.False(piped.UsesColor);
        Assert.Equal(CliIo.NonTerminalWidth, piped.CreateConsole().Profile.Width);
        var previous = Environment.GetEnvironmentVariable("NO_COLOR");
        Environment.SetEnvironmentVariable("NO_COLOR", "1");
        try
        {
            Assert.False(new CliIo(new StringWriter(), TextWriter.Null, IsTerminal: true).UsesColor);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", previous);
        }
        var table = new Spectre.Console.Table();
        table.AddColumn(new Spectre.Console.TableColumn(new string('x', 150)));
        var console = piped.CreateConsole();
        console.Write(table);
        var written = ((StringWriter)piped.Out).ToString();
        Assert.DoesNotContain("\u001b[", written, StringComparison.Ordinal);
        Assert.Contains(new string('x', 150), written, StringComparison.Ordinal);
    }

    /// <summary>JSON keys are snake_case everywhere, except inside maps whose keys are data (parameter names, facts).</summary>
    internal static void AssertSnakeCase(JsonElement element, string where = "$")
    {
        string[] dataMaps = ["parameters", "facts", "measurements", "check_durations_seconds", "generator_seeds", "meta", "scores", "metrics", "last_progress", "progress"];
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.Matches("^[a-z][a-z0-9_]*$", property.Name);
                    if (!dataMaps.Contains(property.Name)) AssertSnakeCase(property.Value, where + "." + property.Name);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) AssertSnakeCase(item, where + "[]");
                break;
        }
    }

    private static string SourceDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Levain.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "tests", "Levain.Cli.Tests");
    }
}
