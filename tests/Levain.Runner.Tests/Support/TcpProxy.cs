using System.Net;
using System.Net.Sockets;

namespace Levain.Runner.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 that a test can partition: after <see cref="Partition"/> every byte in either
/// direction is silently dropped and new connections are accepted but go nowhere — what a worker sees when the network
/// between it and the database dies (no resets, just silence).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _isPartitioned;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Partition() => _isPartitioned = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                if (_isPartitioned)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                await Task.WhenAny(PipeAsync(client.GetStream(), server.GetStream()), PipeAsync(server.GetStream(), client.GetStream()));
                await Task.Delay(Timeout.Infinite, _stop.Token); // Once partitioned, hold the sockets open in silence.
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // Torn down.
            }
        }
    }

    /// <summary>Copies until either side closes; once partitioned, reads and drops everything.</summary>
    private async Task PipeAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16384];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0) return;
            if (!_isPartitioned) await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }
}
