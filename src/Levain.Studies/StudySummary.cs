namespace Levain.Studies;

/// <summary>One line of <c>levain study list</c>: a study and how many of its trials are in each state.</summary>
public sealed record StudySummary(
    string Name,
    DateTimeOffset CreatedAt,
    int Suggested,
    int Running,
    int Succeeded,
    int Failed,
    int Abandoned,
    double? BestOutput)
{
    public int Total => Suggested + Running + Succeeded + Failed + Abandoned;
}
