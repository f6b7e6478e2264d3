using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Code.Corpus;

/// <summary>One training document and where it came from.</summary>
/// <param name="Text">The document (<see cref="CodeTextFormat.Document"/>).</param>
/// <param name="ProgramHash">Hash of the complete program it shows.</param>
/// <param name="Seed">The training seed it was generated from.</param>
/// <param name="Difficulty">Name of the <see cref="GeneratorOptions"/> used.</param>
/// <param name="Form">The question form it is written in.</param>
public sealed record TrainingDocument(string Text, string ProgramHash, int Seed, string Difficulty, CodeItemForm Form);
