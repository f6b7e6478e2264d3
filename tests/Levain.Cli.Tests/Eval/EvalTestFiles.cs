using System.Diagnostics;
using System.Text;

namespace Levain.Cli.Tests.Eval;

/// <summary>Scratch directories, item files and child <c>levain</c> processes for the eval CLI tests.</summary>
internal sealed class EvalTestFiles : IDisposable
{
    public EvalTestFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "levain-eval-cli-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Multiple-choice items in lm-evaluation-harness style, with non-ASCII answers.</summary>
    public string ClozeItems(int count)
    {
        string[][] choices = [["café", "crème", "cat"], ["four", "five", "naïve"], ["dog", "fox", "résumé"]];
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var c = choices[i % 3];
            lines.Append("{\"id\":\"q").Append(i).Append("\",\"query\":\"Question: café or crème ").Append(i)
                .Append("?\\nAnswer:\",\"choices\":[\"").Append(string.Join("\",\"", c)).Append("\"],\"gold\":").Append(i % 3).Append("}\n");
        }
        return Write("items.jsonl", lines.ToString());
    }

    /// <summary>Starts <c>levain ARGS</c> as a child process (the built CLI next to the tests).</summary>
    public static Process StartLevain(params string[] args) => Start(redirectInput: false, args);

    /// <summary>Starts <c>levain ARGS</c> with standard input redirected too (the caller writes and closes it).</summary>
    public static Process StartLevainWithInput(params string[] args) => Start(redirectInput: true, args);

    private static Process Start(bool redirectInput, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "levain.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start levain");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
