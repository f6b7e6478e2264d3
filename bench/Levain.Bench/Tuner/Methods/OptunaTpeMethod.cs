using System.Globalization;
using Levain.Bench.Tuner.Peers;
using Levain.Bench.Tuner.Problems;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Methods;

/// <summary>
/// Optuna's TPE (multivariate, seeded) through the peer process, over the problem's box. TPE is not cost-aware: it
/// minimises the observed value and searches the fidelity like any other parameter.
/// </summary>
public sealed class OptunaTpeMethod : ISearchMethod
{
    private readonly OptunaTpePeer _peer;
    private int _studyCounter;

    public OptunaTpeMethod(OptunaTpePeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        _peer = peer;
    }

    public string Name => "tpe";

    public string Description => $"Optuna {_peer.OptunaVersion} TPESampler(multivariate=True, n_startup_trials=10, seed) on Python {_peer.PythonVersion}";

    public ISearchSession Start(ICostAwareProblem problem, int seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var studyId = $"{problem.Name}-{seed.ToString(CultureInfo.InvariantCulture)}-{_studyCounter++}";
        _peer.CreateStudy(studyId, seed, problem.Parameters);
        return new Session(_peer, studyId);
    }

    private sealed class Session(OptunaTpePeer peer, string studyId) : ISearchSession
    {
        private int? _pendingTrial;
        private bool _isDisposed;

        public IReadOnlyDictionary<string, ParamValue>? Ask(double budgetLeft, double spentFraction)
        {
            if (_pendingTrial is not null)
            {
                throw new InvalidOperationException("Tell the previous trial before asking again.");
            }
            var (trial, point) = peer.Ask(studyId);
            _pendingTrial = trial;
            return point;
        }

        public void Tell(ProblemEvaluation evaluation)
        {
            var trial = _pendingTrial ?? throw new InvalidOperationException("Nothing was asked.");
            _pendingTrial = null;
            peer.Tell(studyId, trial, evaluation.ObservedValue);
        }

        public void Dispose()
        {
            if (_isDisposed)
            {
                return;
            }
            _isDisposed = true;
            try
            {
                peer.DeleteStudy(studyId);
            }
            catch (OptunaPeerException)
            {
                // The study dies with the peer; the run that broke it already reported the error.
            }
        }
    }
}
