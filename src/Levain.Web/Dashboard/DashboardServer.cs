using Levain.Core;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Evals;
using Levain.Studies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Levain.Web.Dashboard;

/// <summary>
/// The read-only dashboard: one HTML page with its script (embedded in this assembly) and a small JSON API over
/// <see cref="DashboardData"/>. Listens on 127.0.0.1 only; the page polls the API, so tables and charts update
/// without a reload.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the dashboard answers, e.g. http://127.0.0.1:8686/.</summary>
    public Uri Address { get; }

    /// <summary>Starts the server; throws <see cref="IOException"/> when the port is taken.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 0);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(WebHostDefaults.LoopbackAddress), options.Port));
        builder.Services.AddSingleton(new DashboardData(options));
        var app = builder.Build();
        Map(app, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (Ctrl-C).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, DashboardOptions options)
    {
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/api/config", () => Json(new JsonObject
        {
            ["poll_interval_ms"] = (int)options.PollInterval.TotalMilliseconds,
            ["studies"] = options.Studies.Count,
            ["evals"] = options.EvalReports.Count,
            ["health"] = options.HealthReports.Count,
        }));
        app.MapGet("/api/studies", async (DashboardData data, CancellationToken ct) => Json(await data.ListStudiesAsync(ct).ConfigureAwait(false)));
        app.MapGet("/api/studies/{source:int}/{name}", async Task<IResult> (int source, string name, DashboardData data, CancellationToken ct) =>
            await Guard(async () => await data.StudyAsync(source, name, ct).ConfigureAwait(false) is { } study ? Json(study) : NotFound($"no study '{name}' in source {source}")));
        app.MapGet("/api/studies/{source:int}/{name}/trials/{number:int}/log", (int source, string name, int number, DashboardData data) =>
            data.TrialLog(source, number) is { } log ? Json(log) : NotFound("no log folder is known for this study (open it from its study file)"));
        app.MapGet("/api/evals", (DashboardData data) => Json(data.ListEvals()));
        app.MapGet("/api/evals/{id:int}", async Task<IResult> (int id, DashboardData data) =>
            await Guard(() => Task.FromResult(data.Eval(id) is { } text ? Results.Text(text, "application/json") : NotFound($"no eval report {id}"))));
        app.MapGet("/api/evals/compare", async Task<IResult> (int a, int b, DashboardData data) =>
            await Guard(() => Task.FromResult(data.CompareEvals(a, b) is { } text ? Results.Text(text, "application/json") : NotFound("no such reports"))));
        app.MapGet("/api/health", (DashboardData data) => Json(data.ListHealth()));
        app.MapGet("/api/health/{id:int}", async Task<IResult> (int id, DashboardData data) =>
            await Guard(() => Task.FromResult(data.Health(id) is { } node ? Json(node) : NotFound($"no health report {id}"))));
    }

    /// <summary>Bad stored data or an unreachable store become a JSON error the page shows, not a crash.</summary>
    private static async Task<IResult> Guard(Func<Task<IResult>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StudyStoreException or InputException or IOException or JsonException or UnauthorizedAccessException)
        {
            return Results.Json(new JsonObject { ["error"] = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    private static IResult NotFound(string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Asset(string name)
    {
        if (DashboardAssets.Read(name) is not { } bytes) return NotFound($"no asset '{name}'");
        return Results.Bytes(bytes, DashboardAssets.ContentType(name));
    }
}
