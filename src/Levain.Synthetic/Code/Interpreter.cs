using System.Globalization;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Executes a <see cref="CodeProgram"/> with Python 3 semantics: floor division and modulo round toward negative
/// infinity, lists are shared by reference, a loop variable keeps its last value after the loop (and stays unassigned
/// when the loop runs zero times), negative indices count from the end.
/// </summary>
public static class Interpreter
{
    /// <summary>Runs <paramref name="program"/>; runtime failures come back as <see cref="ExecutionResult.Error"/>.</summary>
    /// <exception cref="ArgumentException">The program still contains a cloze hole.</exception>
    public static ExecutionResult Run(CodeProgram program, InterpreterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        var machine = new Machine(limits ?? InterpreterLimits.Default);
        var error = ExecutionError.None;
        try
        {
            machine.ExecuteBlock(program.Body);
        }
        catch (AbortException abort)
        {
            error = abort.Error;
        }

        return new ExecutionResult(error, machine.Output, machine.Snapshot(), machine.Steps);
    }

    /// <summary>Python's <c>a // b</c> for <paramref name="b"/> ≠ 0.</summary>
    public static long FloorDivide(long a, long b)
    {
        var quotient = a / b;
        if (a % b != 0 && (a < 0) != (b < 0))
        {
            quotient--;
        }

        return quotient;
    }

    /// <summary>Python's <c>a % b</c> for <paramref name="b"/> ≠ 0 (the result takes the sign of <paramref name="b"/>).</summary>
    public static long Modulo(long a, long b) => a - (b * FloorDivide(a, b));

    private sealed class AbortException(ExecutionError error) : Exception(error.ToString())
    {
        public ExecutionError Error { get; } = error;
    }

    private sealed class Machine(InterpreterLimits limits)
    {
        // Values are boxed longs or List<long>; lists alias exactly as Python lists do.
        private readonly Dictionary<string, object> _variables = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public List<string> Output { get; } = [];

        public int Steps { get; private set; }

        public IReadOnlyList<KeyValuePair<string, RuntimeValue>> Snapshot() =>
            _order.Select(name => new KeyValuePair<string, RuntimeValue>(name, ToRuntime(_variables[name]))).ToArray();

        public void ExecuteBlock(IReadOnlyList<Statement> block)
        {
            foreach (var statement in block)
            {
                Execute(statement);
            }
        }

        private void Execute(Statement statement)
        {
            Tick();
            switch (statement)
            {
                case AssignStatement assign:
                    Set(assign.Name, Evaluate(assign.Value));
                    break;
                case AppendStatement append:
                    var list = GetList(append.ListName);
                    var item = EvaluateInteger(append.Value);
                    if (list.Count >= limits.MaxListLength)
                    {
                        throw new AbortException(ExecutionError.ListTooLong);
                    }

                    list.Add(item);
                    break;
                case PrintStatement print:
                    var value = Evaluate(print.Value);
                    Output.Add(value is List<long> items
                        ? RuntimeValue.Format(0, items)
                        : ((long)value).ToString(CultureInfo.InvariantCulture));
                    break;
                case IfStatement branch:
                    ExecuteBlock(Test(branch.Condition) ? branch.Then : branch.Else);
                    break;
                case ForStatement loop:
                    var count = EvaluateInteger(loop.Count);
                    for (long i = 0; i < count; i++)
                    {
                        Tick();
                        Set(loop.Variable, i);
                        ExecuteBlock(loop.Body);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown statement type {statement.GetType().Name}.", nameof(statement));
            }
        }

        private bool Test(Condition condition)
        {
            var left = EvaluateInteger(condition.Left);
            var right = EvaluateInteger(condition.Right);
            return condition.Operator switch
            {
                ComparisonOperator.Less => left < right,
                ComparisonOperator.LessOrEqual => left <= right,
                ComparisonOperator.Greater => left > right,
                ComparisonOperator.GreaterOrEqual => left >= right,
                ComparisonOperator.Equal => left == right,
                ComparisonOperator.NotEqual => left != right,
                _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Operator, "Unknown comparison."),
            };
        }

        private object Evaluate(Expr expr) => expr switch
        {
            IntLiteral literal => Check(literal.Value),
            VariableRef variable => _variables.TryGetValue(variable.Name, out var value)
                ? value
                : throw new AbortException(ExecutionError.UndefinedVariable),
            BinaryExpr binary => Arithmetic(binary.Operator, EvaluateInteger(binary.Left), EvaluateInteger(binary.Right)),
            LenExpr len => (long)GetList(len.ListName).Count,
            IndexExpr index => Index(GetList(index.ListName), EvaluateInteger(index.Index)),
            ListLiteral display => EvaluateList(display),
            HoleExpr => throw new ArgumentException("Fill the cloze hole before interpreting the program.", nameof(expr)),
            _ => throw new ArgumentException($"Unknown expression type {expr.GetType().Name}.", nameof(expr)),
        };

        private List<long> EvaluateList(ListLiteral display)
        {
            if (display.Items.Count > limits.MaxListLength)
            {
                throw new AbortException(ExecutionError.ListTooLong);
            }

            return display.Items.Select(EvaluateInteger).ToList();
        }

        private long EvaluateInteger(Expr expr) =>
            Evaluate(expr) is long value ? value : throw new AbortException(ExecutionError.TypeMismatch);

        private long Arithmetic(BinaryOperator op, long left, long right)
        {
            if (right == 0 && op is BinaryOperator.FloorDivide or BinaryOperator.Modulo)
            {
                throw new AbortException(ExecutionError.DivisionByZero);
            }

            return Check(op switch
            {
                BinaryOperator.Add => left + right,
                BinaryOperator.Subtract => left - right,
                BinaryOperator.Multiply => left * right,
                BinaryOperator.FloorDivide => FloorDivide(left, right),
                BinaryOperator.Modulo => Modulo(left, right),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
            });
        }

        private static long Index(List<long> list, long index)
        {
            var position = index < 0 ? index + list.Count : index;
            return position >= 0 && position < list.Count
                ? list[(int)position]
                : throw new AbortException(ExecutionError.IndexOutOfRange);
        }

        private List<long> GetList(string name)
        {
            if (!_variables.TryGetValue(name, out var value))
            {
                throw new AbortException(ExecutionError.UndefinedVariable);
            }

            return value as List<long> ?? throw new AbortException(ExecutionError.TypeMismatch);
        }

        private long Check(long value) =>
            Math.Abs(value) <= limits.MaxAbsValue ? value : throw new AbortException(ExecutionError.ValueOutOfRange);

        private void Set(string name, object value)
        {
            if (!_variables.ContainsKey(name))
            {
                _order.Add(name);
            }

            _variables[name] = value;
        }

        private void Tick()
        {
            if (++Steps > limits.MaxSteps)
            {
                throw new AbortException(ExecutionError.StepLimitExceeded);
            }
        }

        private static RuntimeValue ToRuntime(object value) =>
            value is List<long> items ? RuntimeValue.OfList(items) : RuntimeValue.OfInteger((long)value);
    }
}
