using System.CommandLine;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Export;
using Levain.Health.Fleet;
using Levain.Health.Remediations;
using Levain.Health.Results;
using Levain.Cli.Rendering;

namespace Levain.Cli.Commands.Health;

/// <summary><c>levain health fleet HOSTS</c>: collect from many nodes over SSH in parallel, analyse, report.</summary>
internal static class HealthFleetCommand
{
    public static Command Create()
    {
        var hosts = new Argument<string>("hosts") { Description = "Hosts file: one [user@]host[:port] per line; # comments." };
        var profile = HealthOptions.Profile();
        var baseline = HealthOptions.Baseline();
        var json = HealthOptions.Json();
        var prom = HealthOptions.Prometheus();
        var commandTimeout = HealthOptions.CommandTimeout();
        var active = HealthOptions.Active();
        var concurrency = new Option<int>("--concurrency") { Description = "Hosts in flight at once.", DefaultValueFactory = _ => 16 };
        var hostTimeout = new Option<double>("--host-timeout") { Description = "Seconds one host may take in total (connect, all commands, return).", DefaultValueFactory = _ => 120 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to wait for the SSH connection and banner.", DefaultValueFactory = _ => 10 };
        var user = new Option<string?>("--ssh-user") { Description = "Remote user (default: ssh's)." };
        var port = new Option<int?>("--ssh-port") { Description = "Port for hosts that do not name one." };
        var key = new Option<string?>("--ssh-key") { Description = "Private key file." };
        var knownHosts = new Option<string?>("--known-hosts") { Description = "known_hosts file to check host keys against (checking is always on)." };
        var acceptNew = new Option<bool>("--accept-new-host-keys") { Description = "Accept keys of hosts not yet known (changed keys are still refused)." };
        var remotePath = new Option<string?>("--remote-path") { Description = "Directory prepended to PATH on the nodes (tools outside the default PATH)." };
        var bundlesOut = new Option<string?>("--out") { Description = "Also keep each host's bundle under this directory." };
        var all = new Option<bool>("--all") { Description = "Print every host's full result tables, not only the summary." };
        var command = new Command("fleet",
            "Check many nodes over SSH (system ssh client, BatchMode, host-key checking on) in parallel with bounded " +
            "concurrency and per-host and per-command timeouts. Hosts are told apart as completed, unreachable, timed out " +
            "or failed; versions that differ from the fleet majority are flagged.\n\n" + HealthCommands.ExitCodes)
        { hosts, profile, baseline, json, prom, commandTimeout, active, concurrency, hostTimeout, connectTimeout, user, port, key, knownHosts, acceptNew, remotePath, bundlesOut, all };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(async () =>
        {
            var entries = HostsFileParser.Load(parse.GetValue(hosts)!);
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var b = HealthOptions.LoadBaseline(parse.GetValue(baseline));
            if (parse.GetValue(concurrency) < 1)
            {
                throw new Levain.Health.HealthInputException("command line", 0, "--concurrency", "must be at least 1");
            }
            var options = new SshOptions
            {
                User = parse.GetValue(user),
                Port = parse.GetValue(port),
                IdentityFile = parse.GetValue(key),
                KnownHostsFile = parse.GetValue(knownHosts),
                AcceptNewHostKeys = parse.GetValue(acceptNew),
                Concurrency = parse.GetValue(concurrency),
                HostTimeout = HealthOptions.Seconds(parse.GetValue(hostTimeout), "--host-timeout"),
                ConnectTimeout = HealthOptions.Seconds(parse.GetValue(connectTimeout), "--connect-timeout"),
                RemotePathPrefix = parse.GetValue(remotePath),
            };
            var plan = CollectionPlan.For(p, HealthOptions.Seconds(parse.GetValue(commandTimeout), "--command-timeout"), parse.GetValue(active));
            var start = TimeProvider.System.GetTimestamp();
            var runs = await new SshFleetRunner(options, TimeProvider.System).RunAsync(entries, plan, null, ct).ConfigureAwait(false);
            var fleet = new FleetAnalyzer(p, b, TimeProvider.System).Analyze(runs, TimeProvider.System.GetElapsedTime(start), options.Concurrency);
            if (parse.GetValue(bundlesOut) is { } dir)
            {
                foreach (var run in runs.Where(r => r.Bundle is not null))
                {
                    BundleWriter.Write(run.Bundle!, Path.Combine(dir, SafeName(run.Host.Name)));
                }
            }
            if (parse.GetValue(prom) is { } promPath)
            {
                PrometheusExporter.Write(promPath, fleet.Hosts.Select(h => h.Report).ToList(), fleet.Hosts, TimeProvider.System.GetUtcNow());
            }
            if (parse.GetValue(json))
            {
                CliConsole.Out.WriteLine(HealthJson.Serialize(HealthJson.Fleet(fleet)));
            }
            else
            {
                var console = HealthRendering.Console();
                HealthRendering.Fleet(console, fleet);
                if (parse.GetValue(all))
                {
                    foreach (var h in fleet.Hosts)
                    {
                        HealthRendering.Node(console, h.Report, false);
                        HealthRendering.Plan(console, RemediationPlanner.Plan(h.Report), null);
                    }
                }
            }
            return SeverityOrder.ExitCode(fleet.Status);
        }));
        return command;
    }

    private static string SafeName(string host) => string.Concat(host.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
