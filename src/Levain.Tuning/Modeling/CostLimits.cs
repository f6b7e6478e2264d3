namespace Levain.Tuning.Modeling;

/// <summary>
/// The cost limit of one <c>Suggest</c> call: min(cap, budget left − predicted mean cost of what is already committed
/// — outstanding suggestions and the earlier points of this batch). Without a budget left only the cap applies.
/// </summary>
internal sealed class CostLimits(double? cap, double? costLeft)
{
    private double _committed;
    private bool _outstandingCommitted;

    public double Limit => Math.Min(cap ?? double.PositiveInfinity, costLeft is { } left ? left - _committed : double.PositiveInfinity);

    public void Commit(double predictedCost)
    {
        if (double.IsFinite(predictedCost))
        {
            _committed += predictedCost;
        }
    }

    /// <summary>Adds the outstanding suggestions' predicted cost once (the first model that can predict it does).</summary>
    public void CommitOutstanding(Func<double> predictedCost)
    {
        if (_outstandingCommitted || costLeft is null)
        {
            return;
        }
        _outstandingCommitted = true;
        Commit(predictedCost());
    }
}
