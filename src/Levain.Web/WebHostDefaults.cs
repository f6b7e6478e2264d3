namespace Levain.Web;

/// <summary>Defaults shared by every server Levain hosts: loopback only unless the user names another address.</summary>
public static class WebHostDefaults
{
    /// <summary>The address servers bind to by default; Levain never listens beyond the machine unless asked.</summary>
    public const string LoopbackAddress = "127.0.0.1";
}
