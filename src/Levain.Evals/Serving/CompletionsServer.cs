using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals.Backends;

namespace Levain.Evals.Serving;

/// <summary>
/// An OpenAI-compatible HTTP server over any <see cref="ITokenizingBackend"/>: <c>POST /v1/completions</c>,
/// <c>GET /v1/models</c> and <c>GET /health</c>. Built on <see cref="HttpListener"/>; listens on 127.0.0.1 unless told
/// otherwise. Dispose (or <see cref="StopAsync"/>) to stop.
/// </summary>
public sealed class CompletionsServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false };
    private readonly HttpListener _listener;
    private readonly CompletionsHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private CompletionsServer(HttpListener listener, CompletionsHandler handler, string host, int port)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        BaseAddress = new Uri($"http://{(host is "0.0.0.0" or "*" or "+" ? "127.0.0.1" : host)}:{port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Where a client on this machine reaches the server, e.g. <c>http://127.0.0.1:8000/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Completes when the server has stopped.</summary>
    public Task Completion => _loop;

    public static CompletionsServer Start(ITokenizingBackend backend, CompletionsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        var host = options.Host is "0.0.0.0" ? "+" : options.Host;
        for (var attempt = 0; ; attempt++)
        {
            var port = options.Port == 0 ? FreePort() : options.Port;
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{host}:{port}/");
            try
            {
                listener.Start();
                return new CompletionsServer(listener, new CompletionsHandler(backend, options), options.Host, port);
            }
            catch (HttpListenerException) when (options.Port == 0 && attempt < 20)
            {
                listener.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        var inFlight = new List<Task>();
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(Task.Run(() => HandleAsync(context)));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            var method = context.Request.HttpMethod;
            if (method == "GET" && path is "/v1/models")
            {
                await WriteAsync(response, 200, _handler.Models()).ConfigureAwait(false);
            }
            else if (method == "GET" && path is "/health" or "")
            {
                await WriteAsync(response, 200, new JsonObject { ["status"] = "ok" }).ConfigureAwait(false);
            }
            else if (method == "POST" && path is "/v1/completions")
            {
                CompletionRequest request;
                try
                {
                    using var body = await JsonDocument.ParseAsync(context.Request.InputStream, cancellationToken: _stopping.Token).ConfigureAwait(false);
                    request = CompletionRequest.Parse(body.RootElement);
                }
                catch (JsonException e)
                {
                    throw new CompletionRequestException($"the body is not valid JSON: {e.Message}", e);
                }
                var answer = await _handler.CompleteAsync(request, _stopping.Token).ConfigureAwait(false);
                await WriteAsync(response, 200, answer).ConfigureAwait(false);
            }
            else
            {
                await WriteErrorAsync(response, 404, $"no route for {method} {path}", "not_found").ConfigureAwait(false);
            }
        }
        catch (CompletionRequestException e)
        {
            await WriteErrorAsync(response, 400, e.Message, "invalid_request_error").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            response.Abort();
        }
        catch (ArgumentException e)
        {
            await WriteErrorAsync(response, 400, e.Message, "invalid_request_error").ConfigureAwait(false);
        }
        catch (HttpListenerException)
        {
            response.Abort();
        }
    }

    private static Task WriteErrorAsync(HttpListenerResponse response, int status, string message, string type) =>
        WriteAsync(response, status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } });

    private static async Task WriteAsync(HttpListenerResponse response, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(WriteOptions));
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _loop.ConfigureAwait(false);
        _listener.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _handler.Dispose();
        _stopping.Dispose();
    }
}
