using Levain.Core;
using System.CommandLine;
using Levain.Health.Bundles;
using Levain.Health.Collection;
using Levain.Health.Counters;
using Levain.Health.Export;
using Levain.Health.Fleet;
using Levain.Health.Fleet.IbPairs;
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
        var concurrency = new Option<int>("--concurrency") { Description = "Hosts in flight at once (one ssh process and one thread each); the rest wait their turn.", DefaultValueFactory = _ => 32 };
        var hostTimeout = new Option<double>("--host-timeout") { Description = "Seconds one host may take in total (connect, all commands, return), counted from that host's own start, not from the queue.", DefaultValueFactory = _ => 120 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to wait for the SSH connection and banner.", DefaultValueFactory = _ => 10 };
        var user = new Option<string?>("--ssh-user") { Description = "Remote user (default: ssh's)." };
        var port = new Option<int?>("--ssh-port") { Description = "Port for hosts that do not name one." };
        var key = new Option<string?>("--ssh-key") { Description = "Private key file." };
        var knownHosts = new Option<string?>("--known-hosts") { Description = "known_hosts file to check host keys against (checking is always on)." };
        var acceptNew = new Option<bool>("--accept-new-host-keys") { Description = "Accept keys of hosts not yet known (changed keys are still refused)." };
        var sshConfig = new Option<string?>("--ssh-config") { Description = "ssh_config file passed as 'ssh -F' (host aliases, jump hosts, per-host users and ports)." };
        var quiet = new Option<bool>("--quiet") { Description = "No live progress line on stderr." };
        var remotePath = new Option<string?>("--remote-path") { Description = "Directory prepended to PATH on the nodes (tools outside the default PATH)." };
        var bundlesOut = new Option<string?>("--out") { Description = "Also keep each host's bundle under this directory." };
        var all = new Option<bool>("--all") { Description = "Print every host's full result tables, not only the summary." };
        var state = HealthOptions.State();
        var ibPairs = new Option<bool>("--ib-pairs")
        {
            Description = "After collection, run ib_write_bw between the completed hosts in a ring (each host a server once and a " +
                "client once, the client connecting to the server's address as written in the hosts file) and flag both hosts " +
                "of a pair below fleet_median_fraction of the pairs' median or ib_write_bw_min_gbps (result fleet.ib-pair).",
        };
        var ibAddresses = new Option<string?>("--ib-addresses")
        {
            Description = "With --ib-pairs: a file of 'HOST ADDRESS' lines giving the address each host's ib_write_bw server is " +
                "reached at over the fabric (its IPoIB/RDMA address), when the SSH names resolve to another network; " +
                "hosts not listed are reached at their hosts-file address.",
        };
        var ibArgs = new Option<string>("--ib-write-bw-args")
        {
            Description = "Arguments for ib_write_bw on both sides (device, size, duration); each side also gets -p PORT.",
            DefaultValueFactory = _ => "--report_gbits -F -D 5",
        };
        var command = new Command("fleet",
            "Check many nodes over SSH (system ssh client, BatchMode, host-key checking on) in parallel with bounded " +
            "concurrency and per-host and per-command timeouts. Hosts are told apart as completed, unreachable, timed out " +
            "or failed; versions that differ from the fleet majority are flagged.\n\n" + HealthCommands.ExitCodes)
        { hosts, profile, baseline, json, prom, commandTimeout, active, concurrency, hostTimeout, connectTimeout, user, port, key, knownHosts, acceptNew, sshConfig, remotePath, bundlesOut, all, quiet, state, ibPairs, ibArgs, ibAddresses };
        command.SetAction((parse, ct) => HealthOptions.GuardAsync(async () =>
        {
            var entries = HostsFileParser.Load(parse.GetValue(hosts)!);
            var p = HealthOptions.LoadProfile(parse.GetValue(profile));
            var b = HealthOptions.LoadBaseline(parse.GetValue(baseline));
            var options = new SshOptions
            {
                User = parse.GetValue(user),
                Port = parse.GetValue(port),
                IdentityFile = parse.GetValue(key),
                KnownHostsFile = parse.GetValue(knownHosts),
                AcceptNewHostKeys = parse.GetValue(acceptNew),
                ConfigFile = parse.GetValue(sshConfig),
                Concurrency = parse.GetValue(concurrency),
                HostTimeout = HealthOptions.Seconds(parse.GetValue(hostTimeout), "--host-timeout"),
                ConnectTimeout = HealthOptions.Seconds(parse.GetValue(connectTimeout), "--connect-timeout"),
                RemotePathPrefix = parse.GetValue(remotePath),
            };
            if (options.ConfigFile is { } config && !File.Exists(config))
            {
                throw new InputException(config, 0, "--ssh-config", "no such file");
            }
            var plan = CollectionPlan.For(p, HealthOptions.Seconds(parse.GetValue(commandTimeout), "--command-timeout"), parse.GetValue(active));
            var ibArguments = parse.GetValue(ibArgs) ?? "";
            if (!System.Text.RegularExpressions.Regex.IsMatch(ibArguments, @"^[A-Za-z0-9 _=.,:/\-]*$"))
            {
                throw new InputException("command line", 0, "--ib-write-bw-args", "only letters, digits, spaces and _=.,:/- are allowed");
            }
            options.Validate(plan);
            var fabricAddresses = parse.GetValue(ibAddresses) is { } mapPath ? IbAddressMap.Load(mapPath, entries) : null;
            var analyzer = new FleetAnalyzer(p, b, TimeProvider.System);
            var counters = CounterState.Load(Path.Combine(HealthOptions.StateDirectory(parse.GetValue(state), parse.GetValue(prom)), CounterState.FileName));
            var countersLock = new object();
            var dir = parse.GetValue(bundlesOut);
            var counts = new FleetProgress(entries.Count);
            var live = !parse.GetValue(quiet);
            // A live bar on a terminal (unless stdout carries JSON); elsewhere the counts line every 5 s and at the end.
            using var bar = live ? WorkProgress.Start("checking fleet", entries.Count, isLiveAllowed: !parse.GetValue(json)) : null;
            var lastPrinted = TimeProvider.System.GetTimestamp();
            var progressLock = new object();
            var start = TimeProvider.System.GetTimestamp();
            var reports = await new SshFleetRunner(options, TimeProvider.System).RunAsync(entries, plan, run =>
            {
                // Each host is written out and analysed as soon as it ends; its bundle is dropped right after, so memory
                // is bounded by the hosts in flight, not by the fleet.
                if (dir is not null && run.Bundle is not null)
                {
                    BundleWriter.Write(run.Bundle, Path.Combine(dir, SshFleetRunner.SafeName(run.Host.Name)));
                }
                CounterSnapshot previous;
                lock (countersLock)
                {
                    previous = counters.Previous(run.Host.Name);
                }
                var report = analyzer.AnalyzeRun(run, previous);
                if (report.Report.Counters is { Values.Count: > 0 } current)
                {
                    lock (countersLock)
                    {
                        counters.Update(run.Host.Name, current);
                    }
                }
                var line = counts.Add(report);
                if (bar is not null)
                {
                    lock (progressLock)
                    {
                        var isPlainLineDue = TimeProvider.System.GetElapsedTime(lastPrinted) >= TimeSpan.FromSeconds(5);
                        if (isPlainLineDue) lastPrinted = TimeProvider.System.GetTimestamp();
                        bar.Report(counts.Done, line["fleet: ".Length..], isPlainLineDue ? line : null);
                    }
                }
                return report;
            }, null, ct).ConfigureAwait(false);
            if (bar is not null)
            {
                bar.Dispose();
                if (!bar.IsLive) CliConsole.Error.WriteLine(counts.Line());
            }
            lock (countersLock)
            {
                counters.Save();
            }
            if (parse.GetValue(ibPairs))
            {
                var pairs = IbPairPlanner.Ring(reports.Where(h => h.Outcome == HostOutcome.Completed).Select(h => h.Host).ToList(), fabricAddresses: fabricAddresses);
                if (live)
                {
                    CliConsole.Error.WriteLine($"ib-pairs: running ib_write_bw on {pairs.Count} pairs");
                }
                var measured = await new IbPairRunner(options, new ProcessCommandRunner(TimeProvider.System), TimeProvider.System)
                    .RunAsync(pairs, ibArguments, HealthOptions.Seconds(parse.GetValue(commandTimeout), "--command-timeout"), ct).ConfigureAwait(false);
                var byNode = IbPairJudge.Judge(measured, p.FleetMedianFraction, p.IbWriteBwMinGbps);
                reports = reports.Select(h => byNode.TryGetValue(h.Host.Name, out var extra)
                    ? h with { Report = h.Report with { Results = [.. h.Report.Results, .. extra] } }
                    : h).ToList();
            }
            var fleet = analyzer.Complete(reports, TimeProvider.System.GetElapsedTime(start), options.Concurrency);
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

}
