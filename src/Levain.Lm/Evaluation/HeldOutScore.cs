namespace Levain.Lm.Evaluation;

/// <summary>
/// Multiple-choice scores over held-out items: <see cref="NllCorrect"/> is the mean −log p(" " + gold | context)
/// (docs/evals.md's tuning metric, summed over the answer's tokens), <see cref="Accuracy"/> the fraction where the gold
/// choice has the highest summed log-likelihood, <see cref="NllChoice"/> the mean −log softmax(LL)_gold over the
/// item's choices (p_correct as an NLL) and <see cref="ChanceNll"/> = ln(choices), the value of
/// <see cref="NllChoice"/> for a uniform guess. <see cref="AccuracyStdErr"/> and <see cref="NllChoiceStdErr"/> are
/// sample standard deviations over √n.
/// </summary>
public sealed record HeldOutScore(double NllCorrect, double Accuracy, int Items, double ChanceNll, double NllChoice = double.NaN,
    double AccuracyStdErr = double.NaN, double NllChoiceStdErr = double.NaN);
