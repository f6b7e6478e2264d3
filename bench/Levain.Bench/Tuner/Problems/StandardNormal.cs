namespace Levain.Bench.Tuner.Problems;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller, one draw per call).</summary>
public static class StandardNormal
{
    public static double Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
