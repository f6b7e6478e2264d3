namespace Levain.Lm.Evaluation;

/// <summary>
/// Multiple-choice scores over held-out items: <see cref="NllCorrect"/> is the mean −log p(" " + gold | context),
/// <see cref="Accuracy"/> the fraction where the gold choice has the highest summed log-likelihood, and
/// <see cref="ChanceNll"/> = ln(choices), the NLL of a uniform guess.
/// </summary>
public sealed record HeldOutScore(double NllCorrect, double Accuracy, int Items, double ChanceNll);
