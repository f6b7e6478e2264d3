using Levain.Synthetic.Code.Syntax;
using Levain.Synthetic.Randomness;

namespace Levain.Synthetic.Code;

/// <summary>
/// Seeded generator of programs that terminate and never fail: each candidate is interpreted and rejected (and
/// another drawn from the same random stream) on any runtime error, when it prints nothing or more than
/// <see cref="GeneratorOptions.MaxOutputLines"/> lines, computes a value beyond <see cref="GeneratorOptions.MaxAbsValue"/>,
/// renders longer than <see cref="GeneratorOptions.MaxProgramChars"/>, or has a statement that cannot affect the
/// output (<see cref="Liveness"/>).
/// Same options and seed → same program.
/// </summary>
public static class ProgramGenerator
{
    /// <summary>Generator name recorded in provenance.</summary>
    public const string Name = "levain.code";

    /// <summary>Bumped whenever the same seed and options would produce a different program.</summary>
    public const string Version = "1";

    /// <exception cref="InvalidOperationException">No candidate passed within <see cref="GeneratorOptions.MaxAttempts"/>.</exception>
    public static GeneratedProgram Generate(GeneratorOptions options, int seed) => Stream(options, seed).First();

    /// <summary>
    /// Every valid program of one seed's random stream, in order; the first is <see cref="Generate"/>'s program.
    /// Item generators walk on when a program cannot carry the requested question (a cloze needs a hole whose
    /// alternatives change the output). Each program records <paramref name="seed"/> as its seed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No candidate passed within <see cref="GeneratorOptions.MaxAttempts"/> draws.</exception>
    public static IEnumerable<GeneratedProgram> Stream(GeneratorOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Draw(options, seed);
    }

    private static IEnumerable<GeneratedProgram> Draw(GeneratorOptions options, int seed)
    {
        var random = new SyntheticRandom(seed);
        var limits = LimitsFor(options);
        var attempt = 0;
        var sinceLast = 0;
        while (true)
        {
            attempt++;
            if (++sinceLast > options.MaxAttempts)
            {
                throw new InvalidOperationException(
                    $"No valid program within {options.MaxAttempts} attempts for options '{options.Name}' and seed {seed}.");
            }

            var program = new ProgramBuilder(options, random).Build();
            var text = ProgramPrinter.Print(program);
            if (text.Length > options.MaxProgramChars || Liveness.HasDeadStatement(program))
            {
                continue;
            }

            var result = Interpreter.Run(program, limits);
            if (IsAcceptable(result, options))
            {
                sinceLast = 0;
                yield return new GeneratedProgram(seed, program, text, ProgramHash.OfText(text), result, attempt);
            }
        }
    }

    /// <summary>The interpreter limits a program generated with <paramref name="options"/> must respect.</summary>
    public static InterpreterLimits LimitsFor(GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new InterpreterLimits(MaxSteps: 2_000, MaxAbsValue: options.MaxAbsValue, MaxListLength: 64);
    }

    /// <summary>True when <paramref name="result"/> would be accepted for <paramref name="options"/>.</summary>
    public static bool IsAcceptable(ExecutionResult result, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        return result.IsSuccess && result.OutputLines.Count >= 1 && result.OutputLines.Count <= options.MaxOutputLines;
    }
}
