using Levain.Runner.Launchers;

namespace Levain.Runner.Tests.Launchers;

public sealed class SlurmJobStateTests
{
    [Fact]
    public void FromScontrol_FailedJob_ParsesStateExitCodeAndReason()
    {
        var state = SlurmJobState.FromScontrol("JobId=12 JobName=x UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 RunTime=00:00:01")!;
        Assert.Equal(("FAILED", 3, (int?)null, "NonZeroExitCode"), (state.State, state.ExitCode, state.Signal, state.Reason));
        Assert.True(state.IsFinal);
    }

    [Fact]
    public void FromScontrol_SignalledAndRunning_ParsesSignalAndIsNotFinal()
    {
        Assert.Equal(9, SlurmJobState.FromScontrol("JobState=CANCELLED Reason=None ExitCode=0:9")!.Signal);
        Assert.Null(SlurmJobState.FromScontrol("JobState=CANCELLED Reason=None ExitCode=0:9")!.Reason);
        Assert.False(SlurmJobState.FromScontrol("JobState=RUNNING Reason=None ExitCode=0:0")!.IsFinal);
        Assert.Null(SlurmJobState.FromScontrol("slurm_load_jobs error: Invalid job id specified"));
    }

    [Fact]
    public void FromSacct_CancelledBy_ParsesFirstLine()
    {
        var state = SlurmJobState.FromSacct("CANCELLED by 0|0:15\nCOMPLETED|0:0\n")!;
        Assert.Equal(("CANCELLED", 0, (int?)15), (state.State, state.ExitCode, state.Signal));
        Assert.Null(SlurmJobState.FromSacct("\n"));
    }
}
