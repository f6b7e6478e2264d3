namespace Levain.Synthetic.Code.Corpus;

/// <summary>One difficulty of a training mix and its relative weight.</summary>
public sealed record MixComponent(GeneratorOptions Options, double Weight);
