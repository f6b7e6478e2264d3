namespace Levain.Studies;

/// <summary>
/// One line of <c>levain study list</c>: a study and how many of its trials are in each state. <see cref="EarlyStopped"/>
/// counts the succeeded trials that the study's early-stopping rule stopped (they are among <see cref="Succeeded"/>).
/// </summary>
public sealed record StudySummary(
    string Name,
    DateTimeOffset CreatedAt,
    int Suggested,
    int Running,
    int Succeeded,
    int Failed,
    int Abandoned,
    double? BestOutput,
    int EarlyStopped = 0)
{
    public int Total => Suggested + Running + Succeeded + Failed + Abandoned;
}
