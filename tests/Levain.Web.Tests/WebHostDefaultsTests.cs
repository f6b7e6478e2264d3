using System.Net;

namespace Levain.Web.Tests;

public sealed class WebHostDefaultsTests
{
    [Fact]
    public void LoopbackAddress_IsALoopbackAddress()
    {
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(WebHostDefaults.LoopbackAddress)));
    }
}
