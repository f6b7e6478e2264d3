using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Draws one candidate program. It aims for programs that usually run (variables are read only after they are
/// assigned in an enclosing scope, divisors are positive literals) but does not guarantee it: the generator runs
/// every candidate and rejects failures.
/// </summary>
internal sealed class ProgramBuilder(GeneratorOptions options, Random random)
{
    private static readonly string[] IntegerNames = ["a", "b", "c", "d", "n", "m", "s", "t", "x", "y", "z"];
    private static readonly string[] ListNames = ["xs", "ys"];
    private static readonly string[] LoopNames = ["i", "j", "k"];

    private readonly List<string> _integers = [];   // assigned integer variables visible here
    private readonly List<string> _lists = [];      // assigned list variables visible here
    private readonly List<string> _loopVariables = [];
    private int _remaining;
    private int _prints;

    public CodeProgram Build()
    {
        // The last statement is kept back: it prints when nothing has printed yet, otherwise it is one more
        // top-level statement; either way the program has exactly the drawn number of statements.
        _remaining = random.Next(options.MinStatements, options.MaxStatements + 1) - 1;
        var body = new List<Statement>();
        while (_remaining > 0)
        {
            body.Add(NextStatement(depth: 0));
        }

        if (_prints == 0)
        {
            body.Add(FinalPrint());
        }
        else
        {
            _remaining = 1;
            body.Add(NextStatement(depth: 0));
        }

        return new CodeProgram(body);
    }

    private Statement NextStatement(int depth)
    {
        _remaining--;
        var canNest = depth < options.MaxNestingDepth && _remaining >= 1;
        var inBlock = depth > 0;
        var weights = new (int Weight, Func<Statement?> Make)[]
        {
            (_integers.Count == 0 ? 6 : inBlock ? 0 : 3, () => NewInteger()),
            (_integers.Count > 0 ? (inBlock ? 6 : 3) : 0, UpdateInteger),
            (options.UseLists && _lists.Count == 0 && !inBlock ? 2 : 0, NewList),
            (_lists.Count > 0 ? (inBlock ? 4 : 2) : 0, Append),
            (canNest && options.UseLoops && _integers.Count + _lists.Count > 0 ? 3 : 0, () => Loop(depth)),
            (canNest && options.UseConditionals && _integers.Count > 0 ? 2 : 0, () => Branch(depth)),
            (_integers.Count + _lists.Count + _loopVariables.Count > 0 && _prints < options.MaxOutputLines ? 1 : 0, Print),
        };
        var total = weights.Sum(w => w.Weight);
        var pick = random.Next(total);
        foreach (var (weight, make) in weights)
        {
            if (pick < weight)
            {
                return make() ?? NewInteger();
            }

            pick -= weight;
        }

        return NewInteger();
    }

    private Statement NewInteger()
    {
        var free = IntegerNames.Where(n => !_integers.Contains(n)).ToArray();
        var name = free.Length > 0 ? free[random.Next(free.Length)] : _integers[random.Next(_integers.Count)];
        var value = Expression(random.Next(options.MaxExpressionDepth + 1));
        Declare(_integers, name);
        return new AssignStatement(name, value);
    }

    private Statement? UpdateInteger()
    {
        if (_integers.Count == 0)
        {
            return null;
        }

        var name = _integers[random.Next(_integers.Count)];
        if (random.Next(4) == 0)
        {
            return new AssignStatement(name, Expression(Math.Max(1, options.MaxExpressionDepth)));
        }

        var op = Operator();
        var operand = op is BinaryOperator.FloorDivide or BinaryOperator.Modulo ? Divisor() : Operand();
        if (operand is VariableRef same && same.Name == name)
        {
            operand = Literal(); // "y = y - y" is a riddle, not a program
        }

        if (operand is IntLiteral { Value: var value } && IsIdentity(op, value))
        {
            operand = new IntLiteral(value + 2); // "b = b * 1" and "b = b + 0" change nothing
        }

        return new AssignStatement(name, new BinaryExpr(op, new VariableRef(name), operand));
    }

    private Statement? NewList()
    {
        var name = ListNames[random.Next(ListNames.Length)];
        var count = random.Next(4);
        var items = Enumerable.Range(0, count).Select(_ => (Expr)Literal()).ToArray();
        Declare(_lists, name);
        return new AssignStatement(name, new ListLiteral(items));
    }

    private Statement? Append()
    {
        if (_lists.Count == 0)
        {
            return null;
        }

        var name = _lists[random.Next(_lists.Count)];
        return new AppendStatement(name, Expression(random.Next(options.MaxExpressionDepth + 1)));
    }

    private Statement? Print()
    {
        _prints++;
        var candidates = _integers.Concat(_lists).Concat(_loopVariables).ToArray();
        var name = candidates[random.Next(candidates.Length)];
        if (_integers.Contains(name) && options.MaxExpressionDepth > 0 && random.Next(4) == 0)
        {
            return new PrintStatement(new BinaryExpr(Operator(), new VariableRef(name), Operand()));
        }

        return new PrintStatement(new VariableRef(name));
    }

    private Statement FinalPrint()
    {
        _prints++;
        var candidates = _integers.Concat(_lists).ToArray();
        if (candidates.Length == 0)
        {
            return new PrintStatement(Expression(1));
        }

        return new PrintStatement(new VariableRef(candidates[candidates.Length - 1 - random.Next(Math.Min(2, candidates.Length))]));
    }

    private Statement? Loop(int depth)
    {
        var name = LoopNames.FirstOrDefault(n => !_loopVariables.Contains(n));
        if (name is null)
        {
            return null;
        }

        var trips = random.Next(options.MinLoopTrips, options.MaxLoopTrips + 1);
        _loopVariables.Add(name);
        var body = Block(depth + 1);
        _loopVariables.Remove(name);
        return new ForStatement(name, new IntLiteral(trips), body);
    }

    private Statement? Branch(int depth)
    {
        var subjects = _integers.Concat(_loopVariables).ToArray();
        var subject = subjects[random.Next(subjects.Length)];
        var comparison = (ComparisonOperator)random.Next(6);
        Expr right = random.Next(3) == 0 && subjects.Length > 1
            ? new VariableRef(subjects.First(s => s != subject))
            : _loopVariables.Contains(subject)
                ? new IntLiteral(random.Next(0, options.MaxLoopTrips + 1))
                : Literal();
        var condition = new Condition(comparison, new VariableRef(subject), right);
        var then = Block(depth + 1);
        var otherwise = _remaining > 0 && random.Next(2) == 0 ? Block(depth + 1) : [];
        return new IfStatement(condition, then, otherwise);
    }

    private List<Statement> Block(int depth)
    {
        // Variables first assigned inside a block stay out of the enclosing scope afterwards, so later statements
        // never read a variable that a branch not taken would have defined.
        var integers = _integers.Count;
        var lists = _lists.Count;
        var size = 1 + random.Next(Math.Min(_remaining, 2)); // callers guarantee _remaining >= 1
        var body = new List<Statement>();
        for (var k = 0; k < size && _remaining > 0; k++)
        {
            body.Add(NextStatement(depth));
        }

        _integers.RemoveRange(integers, _integers.Count - integers);
        _lists.RemoveRange(lists, _lists.Count - lists);
        return body;
    }

    private Expr Expression(int depth)
    {
        if (depth <= 0 || random.Next(3) == 0)
        {
            return Operand();
        }

        var op = Operator();
        var left = Expression(depth - 1);
        var right = op is BinaryOperator.FloorDivide or BinaryOperator.Modulo ? Divisor() : Expression(depth - 1);
        if (left is IntLiteral && right is IntLiteral && Variable() is { } variable)
        {
            left = variable; // "3 + 4" teaches nothing about reading the program
        }

        return new BinaryExpr(op, left, right);
    }

    private Expr Operand()
    {
        var variables = _integers.Concat(_loopVariables).ToArray();
        var roll = random.Next(10);
        if (_lists.Count > 0 && roll == 0)
        {
            return new LenExpr(_lists[random.Next(_lists.Count)]);
        }

        if (_lists.Count > 0 && roll == 1)
        {
            Expr index = _loopVariables.Count > 0 && random.Next(2) == 0
                ? new VariableRef(_loopVariables[^1])
                : new IntLiteral(random.Next(-1, 3));
            return new IndexExpr(_lists[random.Next(_lists.Count)], index);
        }

        return variables.Length > 0 && roll < 6 ? new VariableRef(variables[random.Next(variables.Length)]) : Literal();
    }

    private VariableRef? Variable()
    {
        var variables = _integers.Concat(_loopVariables).ToArray();
        return variables.Length > 0 ? new VariableRef(variables[random.Next(variables.Length)]) : null;
    }

    private IntLiteral Literal() => new(random.NextInt64(options.MinLiteral, options.MaxLiteral + 1));

    private IntLiteral Divisor() => new(random.NextInt64(2, Math.Max(3, Math.Min(options.MaxLiteral, 9) + 1)));

    private BinaryOperator Operator() => random.Next(10) switch
    {
        < 4 => BinaryOperator.Add,
        < 6 => BinaryOperator.Subtract,
        < 8 => BinaryOperator.Multiply,
        8 => BinaryOperator.FloorDivide,
        _ => BinaryOperator.Modulo,
    };

    private static bool IsIdentity(BinaryOperator op, long value) =>
        (value == 0 && op is BinaryOperator.Add or BinaryOperator.Subtract)
        || (value == 1 && op is BinaryOperator.Multiply or BinaryOperator.FloorDivide);

    private static void Declare(List<string> scope, string name)
    {
        if (!scope.Contains(name))
        {
            scope.Add(name);
        }
    }
}
