using Levain.Runner.StudyFiles;

namespace Levain.Runner.Tests.StudyFiles;

/// <summary>
/// Every file in Malformed/ is a broken study file whose header says which line, field and message the error must
/// name. Each must fail with one <see cref="StudyFileException"/> whose message starts with "file:line".
/// </summary>
public sealed class StudyFileParserMalformedTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "StudyFiles", "Malformed");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void MalformedFiles_AtLeastFifteen()
    {
        Assert.True(System.IO.Directory.GetFiles(Directory, "*.yaml").Length >= 15);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_MalformedFile_NamesFileLineAndField(string name)
    {
        var path = Path.Combine(Directory, name);
        var header = File.ReadLines(path).TakeWhile(l => l.StartsWith("# expect-", StringComparison.Ordinal))
            .ToDictionary(l => l[2..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        var e = Assert.Throws<StudyFileException>(() => StudyFileParser.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(int.Parse(header["expect-line"], System.Globalization.CultureInfo.InvariantCulture), e.Line);
        Assert.Equal(header["expect-field"], e.Field);
        Assert.Contains(header["expect-message"], e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{e.Line}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        var e = Assert.Throws<StudyFileException>(() => StudyFileParser.Load("/nonexistent/levain/study.yaml"));
        Assert.Contains("cannot read the study file", e.Message, StringComparison.Ordinal);
    }
}
