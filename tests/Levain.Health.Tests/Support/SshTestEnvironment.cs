namespace Levain.Health.Tests.Support;

/// <summary>
/// The private sshd started by <c>ci/setup/30-sshd.sh</c> (127.0.0.2-25 at one port). Read from the environment
/// (test.sh sources ci/setup/.env), else from that file directly. Absent: the test skips, unless CI=true (then fails).
/// </summary>
internal sealed record SshTestEnvironment(int Port, string KeyFile, string KnownHostsFile, string User)
{
    public static SshTestEnvironment Require()
    {
        var port = Get("LEVAIN_SSHD_PORT");
        var key = Get("LEVAIN_SSH_KEY");
        var known = Get("LEVAIN_SSH_KNOWN_HOSTS");
        var user = Get("LEVAIN_SSH_USER") ?? Environment.UserName;
        var problem = port is null || key is null || known is null ? "LEVAIN_SSHD_PORT/LEVAIN_SSH_KEY/LEVAIN_SSH_KNOWN_HOSTS not set (run ci/setup/30-sshd.sh)"
            : !File.Exists(key) || !File.Exists(known) ? $"key {key} or known_hosts {known} missing"
            : !Listening(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) ? $"nothing listens on 127.0.0.2:{port}"
            : null;
        if (problem is not null)
        {
            Missing(problem);
        }
        return new SshTestEnvironment(int.Parse(port!, System.Globalization.CultureInfo.InvariantCulture), key!, known!, user);
    }

    /// <summary>A value from the environment or ci/setup/.env.</summary>
    public static string? Get(string key) => Requirement.SetupValue(key);

    /// <summary>Skips (developer machine) or fails (CI=true) for a missing piece of the sshd set-up.</summary>
    public static void Missing(string problem) => Requirement.Missing($"sshd not available: {problem}", "ci/setup/30-sshd.sh should have started it");

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            return client.ConnectAsync("127.0.0.2", port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}
