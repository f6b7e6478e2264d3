using System.Text;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Protocol;

/// <summary>
/// Fills <c>{name}</c> placeholders in a command, one argv element at a time. The result is handed to the operating
/// system as a list of arguments — never to a shell — so a value such as <c>; rm -rf ~</c> stays one literal
/// argument. <c>{trial_id}</c> is the trial's id; <c>{{</c> and <c>}}</c> are literal braces.
/// </summary>
public static class CommandTemplate
{
    public const string TrialIdPlaceholder = "trial_id";

    /// <summary>Substitutes every element of <paramref name="command"/>.</summary>
    public static IReadOnlyList<string> Substitute(IReadOnlyList<string> command, IReadOnlyDictionary<string, ParamValue> parameters, string trialId)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(trialId);
        return command.Select(arg => SubstituteOne(arg, name =>
            name == TrialIdPlaceholder ? trialId
            : parameters.TryGetValue(name, out var value) ? value.ToString()
            : throw new ArgumentException($"Command placeholder {{{name}}} names no parameter.", nameof(command)))).ToList();
    }

    /// <summary>Null if <paramref name="argument"/> is a well-formed template over these names; otherwise the problem.</summary>
    public static string? FindProblem(string argument, IReadOnlySet<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(argument);
        ArgumentNullException.ThrowIfNull(parameterNames);
        try
        {
            _ = SubstituteOne(argument, name =>
                name == TrialIdPlaceholder || parameterNames.Contains(name)
                    ? ""
                    : throw new FormatException($"placeholder {{{name}}} is not a parameter (parameters: {string.Join(", ", parameterNames)}; also {{{TrialIdPlaceholder}}})"));
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static string SubstituteOne(string argument, Func<string, string> lookup)
    {
        var result = new StringBuilder(argument.Length);
        for (var i = 0; i < argument.Length; i++)
        {
            var ch = argument[i];
            if (ch == '{' && i + 1 < argument.Length && argument[i + 1] == '{')
            {
                result.Append('{');
                i++;
            }
            else if (ch == '}' && i + 1 < argument.Length && argument[i + 1] == '}')
            {
                result.Append('}');
                i++;
            }
            else if (ch == '{')
            {
                var end = argument.IndexOf('}', i + 1);
                if (end < 0) throw new FormatException($"'{{' at position {i} is not closed (write {{{{ for a literal brace)");
                var name = argument[(i + 1)..end];
                if (name.Length == 0) throw new FormatException("empty placeholder {}");
                result.Append(lookup(name));
                i = end;
            }
            else if (ch == '}')
            {
                throw new FormatException($"'}}' at position {i} has no opening brace (write }}}} for a literal brace)");
            }
            else
            {
                result.Append(ch);
            }
        }
        return result.ToString();
    }
}
