namespace Levain.Synthetic.Code;

/// <summary>The outcome of interpreting a program.</summary>
/// <param name="Error"><see cref="ExecutionError.None"/> when the program ran to completion.</param>
/// <param name="OutputLines">One entry per <c>print</c> call executed (before any error).</param>
/// <param name="FinalVariables">Every variable's value when execution stopped, in order of first assignment.</param>
/// <param name="Steps">Statements executed plus loop trips.</param>
public sealed record ExecutionResult(
    ExecutionError Error,
    IReadOnlyList<string> OutputLines,
    IReadOnlyList<KeyValuePair<string, RuntimeValue>> FinalVariables,
    int Steps)
{
    public bool IsSuccess => Error == ExecutionError.None;

    /// <summary>Exactly what Python writes to stdout: every line followed by <c>\n</c>.</summary>
    public string Stdout => string.Concat(OutputLines.Select(line => line + "\n"));

    /// <summary>The output lines joined by <c>\n</c>, without a trailing newline (the form items use).</summary>
    public string OutputText => string.Join("\n", OutputLines);

    /// <summary>The final value of <paramref name="name"/>, or null when it was never assigned.</summary>
    public RuntimeValue? ValueOf(string name)
    {
        foreach (var pair in FinalVariables)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }
}
