using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals.Backends;
using Levain.Evals.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Levain.Web.Serving;

/// <summary>
/// <c>levain serve</c>: Kestrel hosting Evals' <see cref="CompletionsHandler"/> — <c>POST /v1/completions</c>,
/// <c>POST /tokenize</c> and <c>/detokenize</c> (also under <c>/v1/</c>), <c>GET /v1/models</c>, <c>GET /health</c>.
/// Every failure is a JSON error body <c>{"error": {"message", "type", "param", "code"}}</c>: 400 for a bad request,
/// 404 for an unknown route, 405 for a wrong method, 500 for anything unexpected (the connection always gets an answer).
/// </summary>
public sealed class CompletionsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CompletionsHandler _handler;

    private CompletionsHost(WebApplication app, CompletionsHandler handler, Uri baseAddress)
    {
        _app = app;
        _handler = handler;
        BaseAddress = baseAddress;
    }

    /// <summary>Where a client on this machine reaches the server, e.g. <c>http://127.0.0.1:8000/</c>.</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public CompletionsHandler Handler => _handler;

    /// <summary>Starts listening; throws <see cref="IOException"/> when the address is in use or not allowed.</summary>
    public static async Task<CompletionsHost> StartAsync(ITokenizingBackend backend, CompletionsServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = options.Host is "0.0.0.0" or "*" or "+" ? IPAddress.Any
                : options.Host is "localhost" ? IPAddress.Loopback
                : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var handler = new CompletionsHandler(backend, options);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                var (status, type) = e switch
                {
                    CompletionRequestException or JsonException or ArgumentException or BadHttpRequestException => (400, "invalid_request_error"),
                    OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "cancelled"),
                    _ => (500, "internal_error"),
                };
                var message = e is JsonException ? $"the body is not valid JSON: {e.Message}" : e.Message;
                await WriteErrorAsync(context, status, message, type).ConfigureAwait(false);
            }
        });
        app.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "ok" }));
        app.MapGet("/v1/models", () => Json(handler.Models()));
        app.MapPost("/v1/completions", async context =>
        {
            using var body = await ReadJsonAsync(context).ConfigureAwait(false);
            var answer = await handler.CompleteAsync(CompletionRequest.Parse(body.RootElement), context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, 200, answer).ConfigureAwait(false);
        });
        foreach (var prefix in new[] { "", "/v1" })
        {
            app.MapPost(prefix + "/tokenize", async context =>
            {
                using var body = await ReadJsonAsync(context).ConfigureAwait(false);
                await WriteAsync(context, 200, handler.Tokenize(body.RootElement)).ConfigureAwait(false);
            });
            app.MapPost(prefix + "/detokenize", async context =>
            {
                using var body = await ReadJsonAsync(context).ConfigureAwait(false);
                await WriteAsync(context, 200, handler.Detokenize(body.RootElement)).ConfigureAwait(false);
            });
        }
        app.MapFallback(context => context.Request.Method is "GET" or "POST" && IsKnownPath(context.Request.Path)
            ? WriteErrorAsync(context, 405, $"{context.Request.Method} is not allowed on {context.Request.Path}", "method_not_allowed")
            : WriteErrorAsync(context, 404, $"no route for {context.Request.Method} {context.Request.Path}", "not_found"));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await handler.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        var host = options.Host is "0.0.0.0" or "*" or "+" or "localhost" ? "127.0.0.1" : options.Host;
        return new CompletionsHost(app, handler, new Uri($"http://{host}:{port}/"));
    }

    private static bool IsKnownPath(PathString path) =>
        path.Value is "/health" or "/v1/models" or "/v1/completions" or "/tokenize" or "/detokenize" or "/v1/tokenize" or "/v1/detokenize";

    private static async Task<JsonDocument> ReadJsonAsync(HttpContext context) =>
        await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string type) =>
        WriteAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = status },
        });

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _handler.DisposeAsync().ConfigureAwait(false);
    }
}
