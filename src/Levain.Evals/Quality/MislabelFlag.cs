namespace Levain.Evals.Quality;

/// <summary>An item where every reference run confidently chose the same non-gold answer (original choice indices).</summary>
public sealed record MislabelFlag(string Task, string ItemId, IReadOnlyList<int> GoldChoices, int SuggestedChoice, string SuggestedAnswer, int Runs, double MeanConfidence);
