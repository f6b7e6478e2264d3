namespace Levain.Synthetic.LongContext;

/// <summary>The retrieval tasks of <see cref="LongContextGenerator"/>.</summary>
public enum LongContextTask
{
    /// <summary>One key–value needle in the filler; ask for the value.</summary>
    SingleNeedle,

    /// <summary>Several key–value needles; ask for one key's value (the other values are distractors).</summary>
    MultiNeedle,

    /// <summary>Chains <c>VAR B = VAR A.</c> spread through the filler; ask for the value at the end of one chain.</summary>
    VariableTracking,
}
