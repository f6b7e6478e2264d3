using Levain.Bench.Tuner.Peers;
using Levain.Bench.Tuner.Problems;

namespace Levain.Bench.Tests.Tuner.Peers;

public sealed class OptunaTpePeerTests
{
    private static OptunaTpePeer StartOrSkip()
    {
        var status = OptunaTpePeer.TryStart(OptunaTpePeer.DefaultPython, PeerScripts.Locate(OptunaTpePeer.ScriptFileName), out var peer);
        if (peer is null)
        {
            Requirement.Missing($"Optuna peer not available here: {status.Description}", "CI needs the Optuna peer (python3-optuna)");
        }
        return peer!;
    }

    [Fact]
    public void TryStart_DebianPython_ReportsOptuna3Point1()
    {
        using var peer = StartOrSkip();

        Assert.StartsWith("3.1", peer.OptunaVersion, StringComparison.Ordinal);
        Assert.Matches(@"^3\.\d+\.\d+$", peer.PythonVersion);
    }

    [Fact]
    public void AskTell_HeightProblem_RoundTripsPointsInsideTheBox()
    {
        using var peer = StartOrSkip();
        var problem = new HeightWithCostProblem();
        peer.CreateStudy("height", seed: 3, problem.Parameters);

        var trials = new List<int>();
        for (var i = 0; i < 14; i++) // past the 10 start-up trials, so multivariate TPE proposes the last ones
        {
            var (trial, point) = peer.Ask("height");
            var evaluation = problem.Evaluate(point, new Random(0)); // throws if outside the box or not integer
            peer.Tell("height", trial, evaluation.ObservedValue);
            trials.Add(trial);
            Assert.Equal(["e", "h", "w"], point.Keys.Order(StringComparer.Ordinal));
        }
        Assert.Equal(Enumerable.Range(0, 14), trials);
        peer.DeleteStudy("height");
    }

    [Fact]
    public void Ask_SameSeedAndTells_ProposesTheSamePoints()
    {
        using var peer = StartOrSkip();
        var problem = new MfHartmann6Problem();
        peer.CreateStudy("a", seed: 9, problem.Parameters);
        peer.CreateStudy("b", seed: 9, problem.Parameters);

        for (var i = 0; i < 12; i++)
        {
            var (trialA, pointA) = peer.Ask("a");
            var (trialB, pointB) = peer.Ask("b");
            Assert.Equal(pointA, pointB);
            var value = problem.NoiseFreeValue(pointA);
            peer.Tell("a", trialA, value);
            peer.Tell("b", trialB, value);
        }
    }

    [Fact]
    public void Tell_UnknownTrial_ThrowsPeerExceptionWithThePeersMessage()
    {
        using var peer = StartOrSkip();
        peer.CreateStudy("s", seed: 1, new AugmentedBraninProblem().Parameters);

        var ex = Assert.Throws<OptunaPeerException>(() => peer.Tell("s", 42, 1.0));
        Assert.Contains("not pending", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryStart_MissingInterpreter_IsUnavailableNotAnException()
    {
        var status = OptunaTpePeer.TryStart("/nonexistent/python3", PeerScripts.Locate(OptunaTpePeer.ScriptFileName), out var peer);

        Assert.False(status.IsAvailable);
        Assert.Null(peer);
        Assert.Contains("/nonexistent/python3", status.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void TryStart_PythonWithoutOptuna_IsUnavailableAndSaysWhy()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(OptunaTpePeer.DefaultPython))
        {
            Assert.Skip($"{OptunaTpePeer.DefaultPython} is missing");
        }
        // python3 -S skips site-packages, so Optuna cannot be imported by this interpreter.
        var wrapper = Path.Combine(Path.GetTempPath(), $"levain-python-no-site-{Environment.ProcessId}.sh");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec {OptunaTpePeer.DefaultPython} -S \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            var status = OptunaTpePeer.TryStart(wrapper, PeerScripts.Locate(OptunaTpePeer.ScriptFileName), out var peer);

            Assert.False(status.IsAvailable);
            Assert.Null(peer);
            Assert.Contains("optuna is not importable", status.Description, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(wrapper);
        }
    }
}
