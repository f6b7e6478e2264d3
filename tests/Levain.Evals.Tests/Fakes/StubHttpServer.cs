using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Levain.Evals.Tests.Fakes;

/// <summary>A loopback HTTP server answering every request with a fixed JSON body (a server that misbehaves on purpose).</summary>
internal sealed class StubHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public StubHttpServer(Func<string, string> respond)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    break;
                }
                var bytes = Encoding.UTF8.GetBytes(respond(context.Request.Url!.AbsolutePath));
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
