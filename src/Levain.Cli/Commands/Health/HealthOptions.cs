using Levain.Core;
using System.CommandLine;
using Levain.Health;
using Levain.Health.Baseline;
using Levain.Health.Profiles;
using Levain.Health.Results;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands.Health;

/// <summary>Options shared by the health commands, and loading what they name.</summary>
internal static class HealthOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of tables." };

    public static Option<string?> Profile() => new("--profile") { Description = "Machine-type profile (YAML) with the expected GPUs, links, ports, pins and thresholds." };

    public static Option<string?> Baseline() => new("--baseline") { Description = "Kernel-log baseline learned with 'levain health baseline learn'." };

    public static Option<string?> Prometheus() => new("--prom") { Description = "Also write a Prometheus textfile here (atomically: temp file, then rename)." };

    public static Option<double> CommandTimeout() => new("--command-timeout")
    {
        Description = "Seconds each command on a node may take.",
        DefaultValueFactory = _ => 20,
    };

    public static Option<bool> Active() => new("--active") { Description = "Also run the active tests (gpu_burn, nccl-tests all_reduce_perf) when installed." };

    public static Option<string?> State() => new("--state")
    {
        Description = "Directory for state kept between runs: remediations.json (what --apply already did) and counters.json " +
            "(NVLink/InfiniBand error counters of the previous run). Default: beside the --prom file when given, else " +
            "/var/lib/levain/health for root, else $XDG_STATE_HOME/levain/health (~/.local/state/levain/health).",
    };

    /// <summary>The state directory: <c>--state</c>, else the directory of the <c>--prom</c> file, else the per-user default.</summary>
    public static string StateDirectory(string? state, string? prom)
    {
        if (state is not null)
        {
            if (File.Exists(state))
            {
                throw new InputException("command line", 0, "--state", $"'{state}' is a file; give a directory");
            }
            return state;
        }
        if (prom is not null)
        {
            return Path.GetDirectoryName(Path.GetFullPath(prom)) ?? ".";
        }
        if (Environment.UserName == "root")
        {
            return "/var/lib/levain/health";
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state") : xdg;
        return Path.Combine(root, "levain", "health");
    }

    public static HealthProfile LoadProfile(string? path) => path is null ? HealthProfile.Default : ProfileLoader.Load(path);

    public static DmesgBaseline? LoadBaseline(string? path) => path is null ? null : DmesgBaseline.Load(path);

    /// <summary>
    /// Runs an action. Bad input (a <see cref="InputException"/>) becomes one message and exit code 64; any other
    /// failure one message and 70 — never 0-3, so a wrapper that drains on 2 cannot be triggered by a typo.
    /// </summary>
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (InputException e)
        {
            return CliConsole.Fail(e.Message, HealthExitCodes.BadInput);
        }
        catch (OperationCanceledException)
        {
            return CliConsole.Fail("cancelled", HealthExitCodes.InternalError);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return CliConsole.Fail($"{e.GetType().Name}: {e.Message}", HealthExitCodes.InternalError);
        }
    }

    /// <summary>An ISO 8601 time from the command line; no offset means UTC. Null stays null.</summary>
    public static DateTimeOffset? Timestamp(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new InputException("command line", 0, option, $"not an ISO 8601 time: '{text}' (e.g. 2026-11-20T12:00:00Z)");
        }
        return value;
    }

    public static TimeSpan Seconds(double seconds, string option)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds))
        {
            throw new InputException("command line", 0, option, $"must be a positive number of seconds, got {seconds}");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
