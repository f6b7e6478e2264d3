using System.Text;

namespace Levain.Health.Tests.Support;

/// <summary>
/// Fake node commands (nvidia-smi, dmesg, ibstat, df, swapon, lsmod, systemctl) as shell scripts in one directory,
/// put first on the remote PATH. Each prints a fixture chosen by the address the SSH client connected to
/// (<c>$SSH_CONNECTION</c> field 3): <c>hosts/&lt;ip&gt;/&lt;file&gt;</c> if present, else <c>hosts/default/&lt;file&gt;</c>.
/// A <c>&lt;file&gt;.sleep</c> next to a fixture delays it (a hanging tool); <c>@NOW@</c> becomes the current UTC time.
/// </summary>
internal sealed class FakeNodeTools
{
    private static readonly Dictionary<string, string> Tools = new()
    {
        ["dmesg"] = "emit dmesg.txt",
        ["ibstat"] = "emit ibstat.txt",
        ["df"] = "emit df.txt",
        ["swapon"] = "emit swapon.txt",
        ["lsmod"] = "emit lsmod.txt",
        ["systemctl"] = "emit systemctl-is-active.txt",
        // perftest: the server (no address) waits for its client; the client (last argument an address) prints the result.
        ["ib_write_bw"] = """
            for a in "$@"; do last=$a; done
            case "$last" in
              *.*) emit ib-write-bw.txt ;;
              *) sleep 0.3; echo "************************************"; echo "* Waiting for client to connect... *"; echo "************************************" ;;
            esac
            """,
        ["nvidia-smi"] = """
            sleep 0.15
            case "$*" in
              "-q -x") emit nvidia-smi.xml ;;
              "nvlink -s") emit nvlink-status.txt ;;
              "nvlink -e") emit nvlink-errors.txt ;;
              *) echo "fake nvidia-smi: unexpected arguments: $*" >&2; exit 2 ;;
            esac
            """,
    };

    public FakeNodeTools(string root)
    {
        Root = root;
        Bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(HostDir("default"));
        var prelude = new StringBuilder()
            .Append("#!/bin/sh\n")
            // the server address: third field of "client port server port", with shell expansions only (no process)
            .Append("ip=${SSH_CONNECTION#* * }; ip=${ip%% *}\n")
            .Append("fix='").Append(Path.Combine(root, "hosts")).Append("'\n")
            .Append("emit() {\n")
            .Append("  d=\"$fix/$ip\"; [ -f \"$d/$1\" ] || d=\"$fix/default\"\n")
            .Append("  [ -f \"$d/$1.sleep\" ] && sleep \"$(cat \"$d/$1.sleep\")\"\n")
            .Append("  [ -f \"$d/$1.missing\" ] && { echo \"$1: not here\" >&2; exit 127; }\n")
            // only fixtures that hold @NOW@ (marked <file>.now) pay for date and sed: a hundred "nodes" share this machine
            .Append("  if [ -f \"$d/$1.now\" ]; then sed \"s/@NOW@/$(date -u +%Y-%m-%dT%H:%M:%S)/g\" \"$d/$1\"; else cat \"$d/$1\"; fi\n")
            .Append("}\n")
            .ToString();
        foreach (var (tool, body) in Tools)
        {
            var path = Path.Combine(Bin, tool);
            File.WriteAllText(path, prelude + body.Replace("\r", "", StringComparison.Ordinal) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
        foreach (var (file, fixture) in FixtureBundle.Healthy)
        {
            var path = Path.Combine(HostDir("default"), file);
            File.Copy(Fixture.Path(fixture), path, overwrite: true);
            MarkNow(path, File.ReadAllText(path));
        }
    }

    public string Root { get; }

    public string Bin { get; }

    public string HostDir(string host) => Path.Combine(Root, "hosts", host);

    /// <summary>Makes <paramref name="host"/> print <paramref name="fixture"/> (a fixture path) for <paramref name="file"/>.</summary>
    public void Use(string host, string file, string fixture) => Write(host, file, Fixture.Text(fixture));

    public void Write(string host, string file, string content)
    {
        Directory.CreateDirectory(HostDir(host));
        var path = Path.Combine(HostDir(host), file);
        File.WriteAllText(path, content);
        MarkNow(path, content);
    }

    private static void MarkNow(string path, string content)
    {
        if (content.Contains("@NOW@", StringComparison.Ordinal))
        {
            File.WriteAllText(path + ".now", "");
        }
        else
        {
            File.Delete(path + ".now");
        }
    }

    /// <summary>Makes the tool behind <paramref name="file"/> hang for <paramref name="seconds"/> on <paramref name="host"/>.</summary>
    public void Hang(string host, string file, int seconds)
    {
        Write(host, file, File.ReadAllText(Path.Combine(HostDir("default"), file)));
        Write(host, file + ".sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
