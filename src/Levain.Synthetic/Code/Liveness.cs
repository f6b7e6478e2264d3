using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Backward strong liveness over the structured program, with only <c>print</c> observing values: a statement is
/// dead when the variable it writes is not read afterwards by a live statement, a condition, a loop bound or a
/// print (so <c>d = d + i</c> in a loop is dead when nothing ever prints <c>d</c>). Generated programs
/// have no dead statements, so every statement can change the output and an output question tests all of it.
/// Lists are never aliased by generated programs, so a list name stands for its contents.
/// </summary>
internal static class Liveness
{
    public static bool HasDeadStatement(CodeProgram program)
    {
        var dead = false;
        Block(program.Body, new HashSet<string>(StringComparer.Ordinal), ref dead);
        return dead;
    }

    // Returns the variables live before the block, given those live after it.
    private static HashSet<string> Block(IReadOnlyList<Statement> block, HashSet<string> liveOut, ref bool dead)
    {
        var live = liveOut;
        for (var i = block.Count - 1; i >= 0; i--)
        {
            live = Statement(block[i], live, ref dead);
        }

        return live;
    }

    private static HashSet<string> Statement(Statement statement, HashSet<string> liveOut, ref bool dead)
    {
        var live = new HashSet<string>(liveOut, StringComparer.Ordinal);
        switch (statement)
        {
            case AssignStatement assign:
                if (!liveOut.Contains(assign.Name))
                {
                    dead = true;
                    return live; // a dead statement makes nothing it reads live ("strong" liveness)
                }

                live.Remove(assign.Name);
                Reads(assign.Value, live);
                return live;
            case AppendStatement append:
                if (!liveOut.Contains(append.ListName))
                {
                    dead = true;
                    return live;
                }

                Reads(append.Value, live);
                return live;
            case PrintStatement print:
                Reads(print.Value, live);
                return live;
            case IfStatement branch:
                var throughThen = Block(branch.Then, liveOut, ref dead);
                var throughElse = Block(branch.Else, liveOut, ref dead);
                live = new HashSet<string>(throughThen, StringComparer.Ordinal);
                live.UnionWith(throughElse);
                Reads(branch.Condition.Left, live);
                Reads(branch.Condition.Right, live);
                return live;
            case ForStatement loop:
                // Live at the top of the body = live after the loop ∪ live before another trip; iterate to the
                // fixed point without judging, then judge the body once with the stable set.
                var top = new HashSet<string>(liveOut, StringComparer.Ordinal);
                var ignored = false;
                while (true)
                {
                    var bodyIn = Block(loop.Body, top, ref ignored);
                    bodyIn.Remove(loop.Variable);
                    var next = new HashSet<string>(liveOut, StringComparer.Ordinal);
                    next.UnionWith(bodyIn);
                    if (next.SetEquals(top))
                    {
                        break;
                    }

                    top = next;
                }

                var throughBody = Block(loop.Body, top, ref dead);
                // A loop with a literal count ≥ 1 runs its body at least once, so what is live before it is what the
                // first trip reads (b = 13 before a loop that always sets b = 11 is dead); otherwise the loop may be
                // skipped and everything live after it stays live.
                var before = loop.Count is IntLiteral { Value: >= 1 } ? throughBody : top;
                before.Remove(loop.Variable);
                Reads(loop.Count, before);
                return before;
            default:
                throw new ArgumentException($"Unknown statement type {statement.GetType().Name}.", nameof(statement));
        }
    }

    private static void Reads(Expr expr, HashSet<string> live)
    {
        switch (expr)
        {
            case VariableRef variable:
                live.Add(variable.Name);
                break;
            case LenExpr len:
                live.Add(len.ListName);
                break;
            case IndexExpr index:
                live.Add(index.ListName);
                Reads(index.Index, live);
                break;
            case BinaryExpr binary:
                Reads(binary.Left, live);
                Reads(binary.Right, live);
                break;
            case ListLiteral display:
                foreach (var item in display.Items)
                {
                    Reads(item, live);
                }

                break;
        }
    }
}
