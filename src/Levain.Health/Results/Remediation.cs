namespace Levain.Health.Results;

/// <summary>What an operator should do about a result. Suggestions only; see <c>Remediation/</c> for the applicable actions.</summary>
public enum Remediation
{
    None,
    /// <summary>Look at the job or application (an application-caused XID, a failed test run).</summary>
    CheckApplication,
    /// <summary>Reset the GPU (<c>nvidia-smi -r</c>) once no process uses it.</summary>
    ResetGpu,
    /// <summary>Reboot the node.</summary>
    Reboot,
    /// <summary>Reseat or replace a cable or transceiver (NVLink, InfiniBand, PCIe riser).</summary>
    ReseatCable,
    /// <summary>Take the node out of the scheduler until someone looks at it.</summary>
    Drain,
    /// <summary>Return the part to the vendor.</summary>
    Rma,
    /// <summary>Install the pinned driver, VBIOS or firmware version.</summary>
    UpdateFirmware,
    /// <summary>Free space on a filesystem.</summary>
    FreeDisk,
    /// <summary>Turn swap off.</summary>
    DisableSwap,
    /// <summary>Start a required service.</summary>
    StartService,
    /// <summary>Load a required kernel module.</summary>
    LoadModule,
    /// <summary>Look at the node by hand: the evidence does not point at one fix.</summary>
    Investigate,
    /// <summary>Fix the collection itself (install the tool, raise a timeout, fix SSH access).</summary>
    FixCollection,
}
