using CsCheck;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Spaces;

public sealed class SearchSpaceTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void ToBasic_LinearLogLogit_MatchSpecFormulas()
    {
        var space = new SearchSpace(
        [
            ParameterSpec.Linear("a", 2.0, scale: 4.0),
            ParameterSpec.Log("lr", 1e-3, scale: 0.5),
            ParameterSpec.Log("b2", 8.0, logBase: 2.0),
            ParameterSpec.Logit("p", 0.9, scale: 2.0),
        ]);
        var x = space.ToBasic(new Dictionary<string, ParamValue> { ["a"] = 6.0, ["lr"] = 1e-2, ["b2"] = 32.0, ["p"] = 0.5 });
        Assert.Equal(1.5, x[0], Tolerance);
        Assert.Equal(-4.0, x[1], Tolerance);
        Assert.Equal(5.0, x[2], Tolerance);
        Assert.Equal(0.0, x[3], Tolerance);
        Assert.Equal(Math.Log10(9) / 2, space.ToBasic(space.Center)[3], Tolerance);
    }

    [Fact]
    public void RoundTrip_NumericKinds_Property()
    {
        var space = new SearchSpace(
        [
            ParameterSpec.Linear("lin", 0, -100, 100, scale: 3),
            ParameterSpec.Log("log", 1, 1e-6, 1e6, scale: 0.7, logBase: 10),
            ParameterSpec.Log("log2", 4, 1e-3, 1e3, logBase: 2),
            ParameterSpec.Logit("logit", 0.5, 1e-6, 1 - 1e-6, scale: 1.3),
        ]);
        Gen.Select(Gen.Double[-100, 100], Gen.Double[-6, 6], Gen.Double[-9, 9], Gen.Double[-6, 6]).Sample((lin, log, log2, logit) =>
        {
            var assignment = new Dictionary<string, ParamValue>
            {
                ["lin"] = lin,
                ["log"] = Math.Pow(10, log),
                ["log2"] = Math.Pow(2, log2),
                ["logit"] = 1 / (1 + Math.Pow(10, -logit)),
            };
            var back = space.FromBasic(space.ToBasic(assignment));
            foreach (var (name, value) in assignment)
            {
                Assert.Equal(value.Number, back[name].Number, Math.Max(1e-12, 1e-10 * Math.Abs(value.Number)));
            }
            var basic = space.ToBasic(assignment);
            Assert.Equal(basic, space.ToBasic(back), new ToleranceComparer(1e-9));
        }, iter: 300);
    }

    [Fact]
    public void RoundTrip_Integers_RoundHalfToEvenInParameterSpace_Property()
    {
        var space = new SearchSpace(
        [
            ParameterSpec.Linear("layers", 8, 1, 64, isInteger: true),
            ParameterSpec.Log("batch", 64, 8, 4096, isInteger: true, rounding: 8, logBase: 2),
        ]);
        Gen.Select(Gen.Double[0.5, 64.5], Gen.Double[3, 12]).Sample((layersReal, batchLog2) =>
        {
            var x = new[] { layersReal, batchLog2 };
            var assignment = space.FromBasic(x);
            Assert.Equal(Math.Round(layersReal, MidpointRounding.ToEven), assignment["layers"].Number);
            Assert.Equal(Math.Round(Math.Pow(2, batchLog2) / 8, MidpointRounding.ToEven) * 8, assignment["batch"].Number, 1e-9);
            var canonical = (double[])x.Clone();
            space.Canonicalize(canonical);
            Assert.Equal(space.ToBasic(assignment), canonical, new ToleranceComparer(1e-12));
            Assert.Equal(assignment, space.FromBasic(canonical));
        }, iter: 300);
        Assert.Equal(2.0, space.FromBasic([2.5, 6])["layers"].Number);
        Assert.Equal(4.0, space.FromBasic([3.5, 6])["layers"].Number);
    }

    [Fact]
    public void RoundTrip_CategoricalBooleanSimplex_Property()
    {
        var space = new SearchSpace(
        [
            ParameterSpec.Categorical("opt", ["adamw", "sgd", "lion"], "sgd"),
            ParameterSpec.Boolean("bias", true),
            ParameterSpec.Simplex("mix", ["web", "code", "books"]),
        ]);
        Assert.Equal(3, space.ContinuousDimension);
        Assert.Equal(2, space.CategoricalDimension);
        var gen = Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Double[1e-5, 1].Array[3]);
        gen.Sample((choice, flag, raw) =>
        {
            var sum = raw.Sum();
            var weights = raw.Select(w => w / sum).ToArray();
            var assignment = new Dictionary<string, ParamValue>
            {
                ["opt"] = new[] { "adamw", "sgd", "lion" }[choice],
                ["bias"] = flag,
                ["mix"] = ParamValue.FromWeights(weights),
            };
            space.Validate(assignment);
            var basic = space.ToBasic(assignment);
            Assert.Equal(0.0, basic[..3].Sum(), 1e-12);
            var back = space.FromBasic(basic);
            Assert.Equal(assignment["opt"], back["opt"]);
            Assert.Equal(assignment["bias"], back["bias"]);
            Assert.Equal(1.0, back["mix"].Weights.Sum(), 1e-12);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(weights[i], back["mix"].Weights[i], 1e-12);
            }
            Assert.True(space.IsWithinBounds(basic));
        }, iter: 300);
    }

    [Fact]
    public void Center_DefaultsAndRounding_AreApplied()
    {
        var space = new SearchSpace(
        [
            ParameterSpec.Linear("n", 2.5, 0, 10, isInteger: true),
            ParameterSpec.Categorical("c", ["x", "y"]),
            ParameterSpec.Boolean("b"),
            ParameterSpec.Simplex("s", ["p", "q"]),
        ]);
        Assert.Equal(2.0, space.Center["n"].Number);
        Assert.Equal("x", space.Center["c"].Choice);
        Assert.False(space.Center["b"].Flag);
        Assert.Equal([0.5, 0.5], space.Center["s"].Weights.ToArray());
    }

    [Fact]
    public void IsWithinBounds_IntegerBoundsWidenedByOneTenth()
    {
        var space = new SearchSpace([ParameterSpec.Linear("n", 5, 1, 10, isInteger: true)]);
        Assert.True(space.IsWithinBounds([0.95]));
        Assert.True(space.IsWithinBounds([10.05]));
        Assert.False(space.IsWithinBounds([0.85]));
        Assert.False(space.IsWithinBounds([10.2]));
        Assert.False(space.IsWithinBounds([double.NaN]));
        var real = new SearchSpace([ParameterSpec.Linear("x", 5, 1, 10)]);
        Assert.False(real.IsWithinBounds([0.95]));
    }

    [Fact]
    public void IsWithinBounds_LogWithoutMinimum_RejectsZero()
    {
        var space = new SearchSpace([ParameterSpec.Log("lr", 1e-3)]);
        Assert.True(space.IsWithinBounds([-10]));
        Assert.False(space.IsWithinBounds([double.NegativeInfinity]));
    }

    [Theory]
    [InlineData("Center")]
    [InlineData("Scale")]
    [InlineData("Min")]
    [InlineData("LogBase")]
    [InlineData("IsInteger")]
    [InlineData("Choices")]
    [InlineData("CenterWeights")]
    [InlineData("Rounding")]
    public void Constructor_InvalidSpec_ThrowsNamingParameterAndField(string field)
    {
        ParameterSpec spec = field switch
        {
            "Center" => ParameterSpec.Linear("p", 20, 0, 10),
            "Scale" => ParameterSpec.Linear("p", 1, scale: 0),
            "Min" => ParameterSpec.Linear("p", 1, 5, 2),
            "LogBase" => ParameterSpec.Log("p", 1, logBase: 1),
            "IsInteger" => ParameterSpec.Logit("p", 0.5) with { IsInteger = true },
            "Choices" => ParameterSpec.Categorical("p", ["a", "a"]),
            "CenterWeights" => ParameterSpec.Simplex("p", ["a", "b"], [0.3, 0.3]),
            _ => ParameterSpec.Linear("p", 1, isInteger: true, rounding: -1),
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => new SearchSpace([spec]));
        Assert.Contains("'p'", e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyOrDuplicate_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SearchSpace([]));
        var e = Assert.Throws<ArgumentException>(() => new SearchSpace([ParameterSpec.Boolean("a"), ParameterSpec.Boolean("a")]));
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Misuse_ThrowsClearArgumentException()
    {
        var space = new SearchSpace([ParameterSpec.Linear("x", 0, -1, 1), ParameterSpec.Categorical("c", ["a", "b"]), ParameterSpec.Simplex("s", ["p", "q"])]);
        var ok = new Dictionary<string, ParamValue> { ["x"] = 0.5, ["c"] = "a", ["s"] = ParamValue.FromWeights([0.25, 0.75]) };
        space.Validate(ok);
        Assert.Contains("Unknown parameter 'zz'", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue>(ok) { ["zz"] = 1.0 })).Message, StringComparison.Ordinal);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue>(ok) { ["x"] = "text" })).Message, StringComparison.Ordinal);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue>(ok) { ["x"] = 2.0 })).Message, StringComparison.Ordinal);
        Assert.Contains("'c'", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue>(ok) { ["c"] = "zzz" })).Message, StringComparison.Ordinal);
        Assert.Contains("'s'", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue>(ok) { ["s"] = ParamValue.FromWeights([0.5, 0.6]) })).Message, StringComparison.Ordinal);
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => space.Validate(new Dictionary<string, ParamValue> { ["x"] = 0.0, ["c"] = "a" })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => space["nope"]);
    }

    [Theory]
    [InlineData(0.3, 1.0)]
    [InlineData(-2.0, 1.0)]
    [InlineData(2.5, 2.0)]
    [InlineData(3.5, 4.0)]
    public void RoundPositive_LogInteger_IsAtLeastOneStep(double value, double expected) =>
        Assert.Equal(expected, new SearchSpace([ParameterSpec.Log("depth", center: 2, min: 1, max: 6, isInteger: true)]).NumericTransformOf("depth")!.RoundPositive(value));

    [Fact]
    public void Round_LogIntegerBelowHalf_StaysZero_SoTheSearchRejectsTheCandidate()
    {
        var depth = new SearchSpace([ParameterSpec.Log("depth", center: 2, min: 1, max: 6, isInteger: true)]).NumericTransformOf("depth")!;
        Assert.Equal(0.0, depth.Round(0.3));
        Assert.False(depth.IsWithinBounds(depth.Canonicalize(depth.ToBasic(0.3))));
    }

    [Fact]
    public void RoundPositive_LinearInteger_MayRoundToZero() =>
        Assert.Equal(0.0, new SearchSpace([ParameterSpec.Linear("offset", center: 2, min: -5, max: 5, scale: 1, isInteger: true)]).NumericTransformOf("offset")!.RoundPositive(0.3));
}
