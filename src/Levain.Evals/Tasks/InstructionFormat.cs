namespace Levain.Evals.Tasks;

/// <summary>
/// An instruction template applied to every prompt of a run (<c>levain eval --template</c>): <see cref="Wrap"/> turns
/// a task's prompt (few-shot examples included) into the text a fine-tuned model saw before its responses, and
/// generation also stops at <see cref="EndMarker"/>. Answers are scored right after the wrapped prompt (no target
/// delimiter), where responses began in fine-tuning. Rolling texts are not wrapped.
/// </summary>
public sealed record InstructionFormat(string Name, Func<string, string> Wrap, string EndMarker)
{
    /// <summary>The manifest as this format changes it.</summary>
    public TaskManifest ApplyTo(TaskManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest with
        {
            Instruction = this,
            TargetDelimiter = "",
            Stop = EndMarker.Length == 0 || manifest.Stop.Contains(EndMarker) ? manifest.Stop : [.. manifest.Stop, EndMarker],
        };
    }
}
