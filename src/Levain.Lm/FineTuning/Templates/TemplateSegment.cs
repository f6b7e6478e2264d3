namespace Levain.Lm.FineTuning.Templates;

/// <summary>A piece of a rendered example: its text and whether the model is trained to produce it (response and end marker).</summary>
public readonly record struct TemplateSegment(string Text, bool IsTrained);
