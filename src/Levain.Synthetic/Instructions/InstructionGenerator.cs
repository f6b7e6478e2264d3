using System.Globalization;
using Levain.Synthetic.Code;

namespace Levain.Synthetic.Instructions;

/// <summary>
/// Seeded instruction examples about generated programs, answered by the interpreter: what a program prints, the value
/// of a variable after line k, which variable is never read (after adding one dead assignment), and the program
/// rewritten to print twice the value. The program comes from <see cref="ProgramGenerator"/> with the same seed; the
/// kind, wording and whether the program sits in <c>context</c> or inside the instruction come from a SplitMix64
/// stream of the seed. Same options and seed → same example.
/// </summary>
public static class InstructionGenerator
{
    public const string Name = "levain.instructions";

    public const string Version = "1";

    /// <summary>The example of one seed. A kind the program cannot carry falls back to the next kind in the options.</summary>
    public static InstructionExample Generate(InstructionOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new SplitMix64(0x1E57_0000_0000_0000UL ^ (ulong)(uint)seed);
        var generated = ProgramGenerator.Generate(options.Program, seed);
        int first = random.Next(options.Kinds.Count);
        for (int i = 0; i < options.Kinds.Count; i++)
        {
            var kind = options.Kinds[(first + i) % options.Kinds.Count];
            if (TryBuild(kind, generated, options, random, seed) is { } example)
            {
                return example;
            }
        }
        // Every program prints, so the output question always exists; reaching here means no kind could be asked.
        throw new InvalidOperationException($"seed {seed}: the program cannot carry any of the requested instruction kinds");
    }

    /// <summary><paramref name="count"/> examples from seeds <paramref name="startSeed"/>, <paramref name="startSeed"/> + 1, ….</summary>
    public static IEnumerable<InstructionExample> Generate(InstructionOptions options, int startSeed, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++)
        {
            yield return Generate(options, checked(startSeed + i));
        }
    }

    private static InstructionExample? TryBuild(InstructionKind kind, GeneratedProgram generated, InstructionOptions options, SplitMix64 random, int seed)
    {
        var limits = ProgramGenerator.LimitsFor(options.Program);
        switch (kind)
        {
            case InstructionKind.PrintOutput:
                return Example(kind, generated.Text, generated.Result.OutputText, [], 0);

            case InstructionKind.ValueAfterLine:
            {
                var candidates = new List<(int Line, string Variable, string Value)>();
                for (int count = 1; count <= generated.Program.Body.Count; count++)
                {
                    var prefix = ProgramEdits.Prefix(generated.Program, count);
                    var result = Interpreter.Run(prefix, limits);
                    if (!result.IsSuccess)
                    {
                        continue;
                    }
                    int line = ProgramPrinter.Print(prefix).Count(c => c == '\n');
                    foreach (string name in ProgramEdits.AssignedNames(prefix))
                    {
                        candidates.Add((line, name, result.ValueOf(name)!.ToPythonText()));
                    }
                }
                if (candidates.Count == 0)
                {
                    return null;
                }
                var (askedLine, variable, value) = random.Pick(candidates);
                return Example(kind, generated.Text, value, [("{v}", variable), ("{k}", askedLine.ToString(CultureInfo.InvariantCulture))], 0);
            }

            case InstructionKind.UnreadVariable:
            {
                if (ProgramEdits.InsertUnreadAssignment(generated.Program, random, options.Program.MaxLiteral) is not { } inserted)
                {
                    return null;
                }
                var (program, name) = inserted;
                // The interpreter confirms the added line changes nothing printed, and the read analysis that it is the only unread one. A program with no
                // variable of its own would make the question trivial (one choice), so it asks something else.
                var result = Interpreter.Run(program, limits);
                if (!result.IsSuccess || result.OutputText != generated.Result.OutputText || ProgramEdits.NeverRead(program) is not [var unread] || unread != name
                    || ProgramEdits.AssignedNames(program).Count < 2)
                {
                    return null;
                }
                return Example(kind, ProgramPrinter.Print(program), name, [], ProgramEdits.AssignedNames(program).Count);
            }

            case InstructionKind.RewriteDouble:
            {
                if (ProgramEdits.DoublePrints(generated.Program) is not { } doubled)
                {
                    return null;
                }
                var result = Interpreter.Run(doubled, limits with { MaxAbsValue = 2 * limits.MaxAbsValue });
                if (!result.IsSuccess || result.OutputLines.Count != generated.Result.OutputLines.Count
                    || !result.OutputLines.Zip(generated.Result.OutputLines).All(p => long.Parse(p.First, CultureInfo.InvariantCulture) == 2 * long.Parse(p.Second, CultureInfo.InvariantCulture)))
                {
                    return null;
                }
                return Example(kind, generated.Text, ProgramPrinter.Print(doubled).TrimEnd('\n'), [], 0);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown instruction kind.");
        }

        InstructionExample Example(InstructionKind kind, string programText, string response, (string Slot, string Value)[] slots, int choices)
        {
            string instruction = random.Pick(InstructionPhrasings.For(kind));
            foreach (var (slot, value) in slots)
            {
                instruction = instruction.Replace(slot, value, StringComparison.Ordinal);
            }
            string program = programText.TrimEnd('\n');
            bool isInline = random.Next(2) == 0;
            return new InstructionExample(
                isInline ? $"{instruction}\n\n{program}" : instruction,
                isInline ? string.Empty : program,
                response,
                InstructionPhrasings.Category(kind),
                generated.Hash,
                seed,
                choices);
        }
    }
}
