using Levain.Health.Bundles;
using Levain.Health.Parsing.Host;
using Levain.Health.Results;

namespace Levain.Health.Checks.Host;

/// <summary>Disk usage, swap, required services, required kernel modules, kernel release pin.</summary>
public sealed class HostCheck : IHealthCheck
{
    private static readonly HashSet<string> PseudoFilesystems = ["tmpfs", "devtmpfs", "overlay", "squashfs", "udev", "none", "shm", "efivarfs"];

    public string Id => "host";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<CheckResult>();
        results.AddRange(Disk(context));
        results.Add(Swap(context));
        results.AddRange(Services(context));
        results.AddRange(Modules(context));
        if (context.Profile.KernelRelease is { } pin)
        {
            var uname = context.Bundle.Get(BundleFiles.KernelRelease);
            results.Add(!uname.IsAvailable ? Inputs.Unavailable(CheckIds.HostKernelRelease, uname)
                : uname.Text!.Trim() == pin ? CheckResult.Ok(CheckIds.HostKernelRelease, "kernel", $"kernel {pin}")
                : new CheckResult(CheckIds.HostKernelRelease, "kernel", Severity.Warning, $"kernel {uname.Text!.Trim()} differs from the pinned {pin}", [uname.Text!.Trim()], Remediation.UpdateFirmware));
        }
        return results;
    }

    private static IEnumerable<CheckResult> Disk(CheckContext context)
    {
        var output = context.Bundle.Get(BundleFiles.Df);
        if (!output.IsAvailable)
        {
            return [Inputs.Unavailable(CheckIds.HostDisk, output)];
        }
        var parsed = HostParsers.ParseDf(output.Text!);
        if (!parsed.IsSuccess)
        {
            return [Inputs.Unparseable(CheckIds.HostDisk, output, parsed)];
        }
        var p = context.Profile;
        var rows = parsed.Value!;
        var considered = p.DiskMounts.Count > 0
            ? rows.Where(r => p.DiskMounts.Contains(r.MountPoint)).ToList()
            : rows.Where(r => !PseudoFilesystems.Contains(r.Filesystem) && r.SizeKiB > 0).ToList();
        var results = new List<CheckResult>();
        foreach (var missing in p.DiskMounts.Where(m => rows.All(r => r.MountPoint != m)))
        {
            results.Add(new CheckResult(CheckIds.HostDisk, missing, Severity.Critical, "required filesystem is not mounted", [], Remediation.Investigate));
        }
        foreach (var r in considered)
        {
            if (r.UsedPercent >= p.DiskCriticalPercent)
            {
                results.Add(new CheckResult(CheckIds.HostDisk, r.MountPoint, Severity.Critical, $"{r.UsedPercent}% full (critical at {p.DiskCriticalPercent}%)", [r.Raw], Remediation.FreeDisk));
            }
            else if (r.UsedPercent >= p.DiskWarnPercent)
            {
                results.Add(new CheckResult(CheckIds.HostDisk, r.MountPoint, Severity.Warning, $"{r.UsedPercent}% full (warning at {p.DiskWarnPercent}%)", [r.Raw], Remediation.FreeDisk));
            }
        }
        return results.Count > 0 ? results : [CheckResult.Ok(CheckIds.HostDisk, "node", $"{considered.Count} filesystems under {p.DiskWarnPercent}%")];
    }

    private static CheckResult Swap(CheckContext context)
    {
        var output = context.Bundle.Get(BundleFiles.Swapon);
        if (!output.IsAvailable)
        {
            return Inputs.Unavailable(CheckIds.HostSwap, output);
        }
        var parsed = HostParsers.ParseSwapon(output.Text!);
        if (!parsed.IsSuccess)
        {
            return Inputs.Unparseable(CheckIds.HostSwap, output, parsed);
        }
        var devices = parsed.Value!;
        return devices.Count == 0 || context.Profile.AllowSwap
            ? CheckResult.Ok(CheckIds.HostSwap, "swap", devices.Count == 0 ? "swap is off" : $"{devices.Count} swap devices (allowed)")
            : new CheckResult(CheckIds.HostSwap, "swap", Severity.Warning, $"swap is on ({string.Join(", ", devices.Select(d => d.Name))})", devices.Select(d => d.Raw).ToList(), Remediation.DisableSwap);
    }

    private static IEnumerable<CheckResult> Services(CheckContext context)
    {
        var units = context.Bundle.Manifest?.Services is { Count: > 0 } recorded ? recorded : context.Profile.Services;
        if (units.Count == 0)
        {
            return [CheckResult.Ok(CheckIds.HostServices, "node", "no services required by the profile")];
        }
        var output = context.Bundle.Get(BundleFiles.Services);
        // systemctl is-active exits 3 when a unit is inactive: that is an answer, not a failed command.
        if (output.Text is null || output.Status is CaptureStatus.Missing or CaptureStatus.NotInstalled or CaptureStatus.TimedOut)
        {
            return [Inputs.Unavailable(CheckIds.HostServices, output)];
        }
        var parsed = HostParsers.ParseIsActive(output.Text, units);
        if (!parsed.IsSuccess)
        {
            return [Inputs.Unparseable(CheckIds.HostServices, output, parsed)];
        }
        var down = parsed.Value!.Where(u => u.State != "active").ToList();
        return down.Count == 0
            ? [CheckResult.Ok(CheckIds.HostServices, "node", $"{units.Count} services active")]
            : down.Select(u => new CheckResult(CheckIds.HostServices, u.Unit, Severity.Critical, $"service is {u.State}", [$"{u.Unit}: {u.State}"], Remediation.StartService)).ToList();
    }

    private static IEnumerable<CheckResult> Modules(CheckContext context)
    {
        var required = context.Profile.Modules;
        if (required.Count == 0)
        {
            return [CheckResult.Ok(CheckIds.HostModules, "node", "no kernel modules required by the profile")];
        }
        var output = context.Bundle.Get(BundleFiles.Lsmod);
        if (!output.IsAvailable)
        {
            return [Inputs.Unavailable(CheckIds.HostModules, output)];
        }
        var parsed = HostParsers.ParseLsmod(output.Text!);
        if (!parsed.IsSuccess)
        {
            return [Inputs.Unparseable(CheckIds.HostModules, output, parsed)];
        }
        var loaded = parsed.Value!;
        var missing = required.Where(alt => !alt.Split('|').Any(loaded.Contains)).ToList();
        return missing.Count == 0
            ? [CheckResult.Ok(CheckIds.HostModules, "node", $"required modules loaded ({string.Join(", ", required)})")]
            : missing.Select(m => new CheckResult(CheckIds.HostModules, m.Split('|')[0], Severity.Critical, $"kernel module {m.Replace("|", " or ", StringComparison.Ordinal)} not loaded",
                [$"lsmod lists {loaded.Count} modules, none of: {m.Replace("|", ", ", StringComparison.Ordinal)}"], Remediation.LoadModule)).ToList();
    }
}
