namespace Levain.Cli.Tests;

public sealed class VersionCommandTests
{
    [Fact]
    public void Root_ListsVersionCommand()
    {
        var root = LevainApp.CreateRoot();
        Assert.Contains(root.Subcommands, c => c.Name == "version");
    }

    [Fact]
    public async Task Version_Json_PrintsParsableObject()
    {
        var output = await CliRunner.RunAsync("version", "--json");
        Assert.Equal(0, output.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(output.StdOut);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("levain").GetString()));
    }
}
