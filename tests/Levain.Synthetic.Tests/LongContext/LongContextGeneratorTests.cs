using System.Text.RegularExpressions;
using Levain.Synthetic.LongContext;

namespace Levain.Synthetic.Tests.LongContext;

public sealed partial class LongContextGeneratorTests
{
    // Fill-to-length stops before a sentence that would overshoot, so the shortfall is below one filler sentence.
    private const int LengthToleranceInChars = 100;

    public static TheoryData<LongContextTask, int> TasksAndLengths
    {
        get
        {
            var data = new TheoryData<LongContextTask, int>();
            foreach (var task in Enum.GetValues<LongContextTask>())
            {
                foreach (var length in new[] { 400, 2_000, 16_000, 64_000 })
                {
                    data.Add(task, length);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TasksAndLengths))]
    public void Generate_AnyTaskAndLength_IsCorrectByConstruction(LongContextTask task, int length)
    {
        var items = LongContextGenerator.Generate(new LongContextOptions { Task = task, LengthInChars = length }, 1_000, 8);

        foreach (var item in items)
        {
            Assert.Equal(item.Context.Length, item.LengthInChars);
            Assert.InRange(item.LengthInChars, length - LengthToleranceInChars, length);
            Assert.Equal(4, item.Choices.Distinct(StringComparer.Ordinal).Count());
            Assert.InRange(item.Gold, 0, 3);
            Assert.EndsWith("?\nAnswer:", item.Context, StringComparison.Ordinal);
            Assert.Equal(task switch
            {
                LongContextTask.SingleNeedle => 1,
                LongContextTask.MultiNeedle => 4,
                _ => 2 * 3,
            }, item.Needles.Count);
            foreach (var needle in item.Needles)
            {
                // Present exactly once, exactly where claimed.
                Assert.Equal(needle.OffsetInChars, item.Context.IndexOf(needle.Text, StringComparison.Ordinal));
                Assert.Equal(needle.OffsetInChars, item.Context.LastIndexOf(needle.Text, StringComparison.Ordinal));
            }

            Assert.Equal(item.Needles.OrderBy(n => n.OffsetInChars), item.Needles);
            Assert.Equal(Resolve(item), item.Answer);
            // The other choices are not the answer to the question.
            Assert.All(item.Choices.Where((_, i) => i != item.Gold), choice => Assert.NotEqual(Resolve(item), choice));
        }
    }

    [Fact]
    public void Generate_Filler_HasNoDigitsOrKeysOutsideNeedles()
    {
        foreach (var task in Enum.GetValues<LongContextTask>())
        {
            var item = LongContextGenerator.GenerateOne(new LongContextOptions { Task = task, LengthInChars = 8_000 }, 77);
            var filler = item.Context[..item.Context.LastIndexOf("\nQuestion:", StringComparison.Ordinal)];
            foreach (var needle in item.Needles)
            {
                filler = filler.Replace(needle.Text, string.Empty, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch(@"\d", filler);
            Assert.DoesNotContain("VAR", filler, StringComparison.Ordinal);
            Assert.DoesNotContain(item.QueryKey, filler, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Generate_MultiNeedle_UsesOtherNeedlesAsDistractors()
    {
        var item = LongContextGenerator.GenerateOne(new LongContextOptions { Task = LongContextTask.MultiNeedle, NeedleCount = 5 }, 3);
        var otherValues = item.Needles.Where(n => n.Key != item.QueryKey).Select(n => n.Value).ToHashSet();

        Assert.All(item.Choices.Where((_, i) => i != item.Gold), choice => Assert.Contains(choice, otherValues));
    }

    [Theory]
    [InlineData(LongContextTask.SingleNeedle)]
    [InlineData(LongContextTask.MultiNeedle)]
    [InlineData(LongContextTask.VariableTracking)]
    public void Generate_Depth_PlacesTheAskedNeedle(LongContextTask task)
    {
        foreach (var (depth, low, high) in new[] { (0.0, 0.0, 0.1), (0.5, 0.4, 0.6), (1.0, 0.85, 1.0) })
        {
            var options = new LongContextOptions { Task = task, LengthInChars = 20_000, Depth = depth };
            var item = LongContextGenerator.GenerateOne(options, 11);
            var asked = item.Needles.Single(n => n.Key == item.QueryKey);

            Assert.InRange(asked.OffsetInChars / (double)item.LengthInChars, low, high);
        }
    }

    [Fact]
    public void Generate_SameSeed_GivesIdenticalItems()
    {
        var options = new LongContextOptions { Task = LongContextTask.VariableTracking, LengthInChars = 3_000 };

        var first = LongContextGenerator.Generate(options, 5, 4);
        var second = LongContextGenerator.Generate(options, 5, 4);

        Assert.Equal(first.Select(i => (i.Id, i.Context, string.Join(",", i.Choices), i.Gold)),
            second.Select(i => (i.Id, i.Context, string.Join(",", i.Choices), i.Gold)));
        Assert.NotEqual(first[0].Context, first[1].Context);
        Assert.Equal("lc-vt-3000-5", first[0].Id);
        Assert.Equal(5, first[0].Provenance.Seed);
        Assert.Equal("3000", first[0].Provenance.Parameters["length_chars"]);
    }

    [Fact]
    public void Generate_GoldPosition_IsSpreadEvenly()
    {
        var items = LongContextGenerator.Generate(new LongContextOptions { LengthInChars = 300 }, 0, 400);
        var counts = items.GroupBy(i => i.Gold).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(Enumerable.Range(0, 4), p => Assert.InRange(counts.GetValueOrDefault(p), 60, 140));
    }

    [Fact]
    public void Generate_BadOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LongContextGenerator.GenerateOne(new LongContextOptions { Task = LongContextTask.MultiNeedle, NeedleCount = 30, LengthInChars = 300 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LongContextGenerator.GenerateOne(new LongContextOptions { LengthInChars = 10 }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LongContextGenerator.GenerateOne(new LongContextOptions { Depth = 1.5 }, 1));
    }

    // Reads the context like a reader would: key–value sentences and VAR assignments, left to right.
    private static string Resolve(LongContextItem item)
    {
        if (item.Task != LongContextTask.VariableTracking)
        {
            var match = Regex.Match(item.Context, $@"The special magic number for {Regex.Escape(item.QueryKey)} is (\d+)\.");
            Assert.True(match.Success);
            return match.Groups[1].Value;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match assignment in Assignment().Matches(item.Context))
        {
            var source = assignment.Groups[2].Value;
            values[assignment.Groups[1].Value] = source.StartsWith("VAR ", StringComparison.Ordinal) ? values[source[4..]] : source;
        }

        return values[item.QueryKey];
    }

    [GeneratedRegex(@"VAR ([A-Z]{5}) = (VAR [A-Z]{5}|\d+)\.")]
    private static partial Regex Assignment();
}
