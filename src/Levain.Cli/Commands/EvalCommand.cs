using Levain.Core;
using System.CommandLine;
using System.Text.Json.Nodes;
using System.Globalization;
using Levain.Evals;
using Levain.Evals.Backends;
using Levain.Evals.Backends.Http;
using Levain.Evals.Contamination;
using Levain.Evals.Generators;
using Levain.Evals.Quality;
using Levain.Evals.Reports;
using Levain.Evals.Running;
using Levain.Evals.Scoring;
using Levain.Evals.Tasks;
using Levain.Lm.Scoring;
using Spectre.Console;
using Levain.Cli.Rendering;
using Levain.Cli.Contract;

namespace Levain.Cli.Commands;

/// <summary>
/// <c>levain eval TASK... (--model CHECKPOINT | --endpoint URL)</c>, <c>levain eval compare A.json B.json</c>,
/// <c>levain eval index</c> (contamination index) and <c>levain eval mislabels</c> (likely mislabels from reference runs).
/// </summary>
public static class EvalCommand
{
    private const string ExitCodes = "\n\n" + Contract.ExitCodes.Help + " (1: the endpoint self-test or the backend failed)";

    public static Command Create()
    {
        var tasks = new Argument<string[]>("tasks")
        {
            Description = "Tasks: .jsonl item files, .yaml/.json task manifests, or generator names (" +
                string.Join(", ", GeneratorRegistry.All.Select(g => g.Name)) + ").",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var model = new Option<string?>("--model") { Description = "Score in-process with this checkpoint directory (Levain, or Hugging Face GPT-2)." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Score through an OpenAI-compatible /v1/completions endpoint (vLLM, levain serve)." };
        var endpointModel = new Option<string?>("--endpoint-model") { Description = "Model name to request from the endpoint (default: the first of /v1/models)." };
        var limit = new Option<int?>("--limit") { Description = "At most N items per task (and N items from a generator)." };
        var rotations = new Option<int?>("--rotations") { Description = "Cyclic option rotations for lettered tasks (overrides the manifest)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Requests per backend call.", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--seed") { Description = "Seed for generation requests and the bootstrap.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Directory for report.json and report.md.", DefaultValueFactory = _ => "eval-results" };
        var cache = new Option<string?>("--cache") { Description = "Result cache directory (default OUT/cache); an interrupted run resumes from it." };
        var noCache = new Option<bool>("--no-cache") { Description = "Score everything afresh and keep no cache." };
        var contamination = new Option<string?>("--contamination") { Description = "An n-gram index from 'levain eval index': split scores into clean and overlapping items." };
        var judgments = new Option<string?>("--judgments") { Description = "Import quality judgments (JSONL: question, choices, original_answer, participant_answer, confidence, reason)." };
        var threads = new Option<int>("--threads") { Description = "Torch threads for --model.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N for --model.", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print the JSON report instead of tables." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one HTTP attempt may take before it is retried (--endpoint).", DefaultValueFactory = _ => 300 };
        var retries = new Option<int>("--retries") { Description = "Extra attempts, with jittered exponential backoff, on 429, 5xx, timeouts and dropped connections.", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency") { Description = "HTTP requests in flight at once (--endpoint).", DefaultValueFactory = _ => 8 };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer token for the endpoint (default: the OPENAI_API_KEY environment variable)." };
        var maxLength = new Option<int?>("--max-length") { Description = "The model's context length in tokens (default: the server's max_model_len, else 2048)." };
        var prefixToken = new Option<int?>("--prefix-token-id") { Description = "Token id that stands before a text with no context when the tokenizer adds no BOS (GPT-2: 50256)." };
        var chat = new Option<bool>("--chat")
        {
            Description = "With --endpoint: generate through /v1/chat/completions (instruct models; the server applies its chat template). " +
                "Generation tasks only: tasks scored by log-likelihood are refused (exit 64).",
        };
        var systemPrompt = new Option<string?>("--system-prompt") { Description = "With --chat: a system message sent before each prompt." };
        var command = new Command("eval",
            "Evaluate a model on tasks by log-likelihood: one row per item, metrics with standard errors on the full and clean " +
            "subsets, rotations, calibration, contamination split; writes OUT/report.json and OUT/report.md." + ExitCodes)
        {
            tasks, model, endpoint, endpointModel, limit, rotations, batchSize, seed, output, cache, noCache, contamination,
            judgments, threads, json, device, timeout, retries, concurrency, apiKey, maxLength, prefixToken,
        };
        command.Options.Add(chat);
        command.Options.Add(systemPrompt);
        var template = EvalTemplateOption.Create();
        command.Options.Add(template);
        command.Subcommands.Add(Compare());
        command.Subcommands.Add(Index());
        command.Subcommands.Add(Mislabels());
        command.SetAction(async (parse, ct) =>
        {
            var taskSpecs = parse.GetValue(tasks) ?? [];
            var modelPath = parse.GetValue(model);
            var endpointUrl = parse.GetValue(endpoint);
            if (taskSpecs.Length == 0)
            {
                return Fail("give at least one task (a .jsonl file, a .yaml/.json manifest or a generator name)");
            }
            if ((modelPath is null) == (endpointUrl is null))
            {
                return Fail("give exactly one of --model CHECKPOINT or --endpoint URL");
            }
            if (parse.GetValue(batchSize) < 1 || parse.GetValue(limit) is < 1 || parse.GetValue(rotations) is < 1 || parse.GetValue(threads) < 1
                || parse.GetValue(concurrency) < 1)
            {
                return Fail("--batch-size, --limit, --rotations, --threads and --concurrency must be at least 1");
            }
            if (parse.GetValue(timeout) is <= 0 or > 86400 || parse.GetValue(retries) < 0 || parse.GetValue(maxLength) is < 3)
            {
                return Fail("--timeout must be 0–86400 seconds, --retries at least 0 and --max-length at least 3");
            }
            var isChat = parse.GetValue(chat);
            if ((isChat || parse.GetValue(systemPrompt) is not null) && endpointUrl is null)
            {
                return Fail("--chat and --system-prompt need --endpoint URL");
            }
            if (isChat && parse.GetValue(template) is not null)
            {
                return Fail("--template wraps prompts for a base or fine-tuned model; with --chat the server applies the model's chat template");
            }
            InstructionFormat? instruction;
            try
            {
                instruction = EvalTemplateOption.Resolve(parse.GetValue(template), modelPath);
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
            var outDir = parse.GetValue(output)!;
            var options = new EvalRunOptions
            {
                Tasks = taskSpecs,
                BatchSize = parse.GetValue(batchSize),
                Limit = parse.GetValue(limit),
                Rotations = parse.GetValue(rotations),
                Seed = parse.GetValue(seed),
                CacheDirectory = parse.GetValue(noCache) ? null : parse.GetValue(cache) ?? Path.Combine(outDir, "cache"),
                ContaminationIndexPath = parse.GetValue(contamination),
                JudgmentsPath = parse.GetValue(judgments),
                BackendKind = modelPath is not null ? "in-process" : isChat ? "chat-completions" : "completions",
                Endpoint = endpointUrl,
                CheckpointHash = null,
                Instruction = instruction,
            };
            var isJson = parse.GetValue(json);
            try
            {
                var (loaded, groups) = EvalRun.Load(options);
                using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                using var client = new EndpointClient(http, new EndpointOptions
                {
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    Retries = parse.GetValue(retries),
                    Concurrency = parse.GetValue(concurrency),
                    ApiKey = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
                    MaxLength = parse.GetValue(maxLength),
                    PrefixTokenId = parse.GetValue(prefixToken),
                    OnRetry = isJson ? null : (attempt, reason, delay) => CliConsole.Error.WriteLine(
                        $"retry {attempt}: {reason}; waiting {delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"),
                });
                IScoringBackend backend;
                CheckpointScorer? scorer = null;
                if (modelPath is not null)
                {
                    if (!Directory.Exists(modelPath))
                    {
                        return Fail($"{modelPath}: checkpoint: no such directory");
                    }
                    var (loadedScorer, loadProblem) = CheckpointLoading.TryLoad(modelPath, parse.GetValue(threads), parse.GetValue(device));
                    if (loadedScorer is null)
                    {
                        return Fail(loadProblem!);
                    }
                    scorer = loadedScorer;
                    backend = scorer;
                    options = options with { CheckpointHash = ContentHash.OfPath(modelPath) };
                }
                else if (isChat)
                {
                    if (ChatCompletionsBackend.RefusalFor(loaded) is { } refusal)
                    {
                        return Fail(refusal);
                    }
                    var remoteChat = await ChatCompletionsBackend.ConnectAsync(client, endpointUrl!, parse.GetValue(endpointModel), parse.GetValue(systemPrompt), cancellationToken: ct)
                        .ConfigureAwait(false);
                    var chatTest = await remoteChat.SelfTestAsync(ct).ConfigureAwait(false);
                    if (!chatTest.IsPassed)
                    {
                        return CliConsole.Fail($"endpoint self-test failed: {chatTest.Message}", Contract.ExitCodes.Failure);
                    }
                    backend = remoteChat;
                }
                else
                {
                    var remote = await CompletionsBackend.ConnectAsync(client, endpointUrl!, parse.GetValue(endpointModel), ct).ConfigureAwait(false);
                    var selfTest = await remote.SelfTestAsync(ct).ConfigureAwait(false);
                    if (!selfTest.IsPassed)
                    {
                        return CliConsole.Fail($"endpoint self-test failed: {selfTest.Message}", Contract.ExitCodes.Failure);
                    }
                    backend = remote;
                }
                using (scorer)
                {
                    RunReport report;
                    using (var display = new EvalProgressDisplay(isJson))
                    {
                        report = await EvalRun.RunAsync(backend, options, loaded, groups, new SynchronousProgress(display.Report), ct).ConfigureAwait(false);
                    }
                    Directory.CreateDirectory(outDir);
                    ReportJson.Write(report, Path.Combine(outDir, "report.json"));
                    await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), MarkdownReport.Render(report), ct).ConfigureAwait(false);
                    if (isJson)
                    {
                        CliConsole.Out.WriteLine(ReportJson.Serialize(report));
                    }
                    else
                    {
                        Render(report, outDir);
                    }
                }
                return 0;
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                return Fail(e.Message);
            }
            catch (EndpointProtocolException e)
            {
                return CliConsole.Fail(e.Message, Contract.ExitCodes.Failure);
            }
        });
        return command;
    }

    private static Command Compare()
    {
        var a = new Argument<string>("a") { Description = "The baseline report (report.json of run A)." };
        var b = new Argument<string>("b") { Description = "The report to compare (report.json of run B)." };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed for non-mean metrics.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("compare", "Per-task differences B − A over the items both runs scored, with paired standard errors." + ExitCodes) { a, b, seed, json };
        command.SetAction(parse =>
        {
            try
            {
                var comparison = ReportComparer.Compare(ReportJson.Read(parse.GetValue(a)!), ReportJson.Read(parse.GetValue(b)!), parse.GetValue(seed));
                if (parse.GetValue(json))
                {
                    CliConsole.Out.WriteLine(ReportJson.Serialize(comparison));
                    return 0;
                }
                foreach (var task in comparison.Tasks)
                {
                    var table = new Table().Title($"{Markup.Escape(task.Task)}: {task.SharedRows} shared rows").AddColumns("metric", "A", "B", "B − A", "paired SE", "z");
                    foreach (var d in task.Metrics)
                    {
                        table.AddRow(d.Metric, F(d.A), F(d.B), d.Difference.ToString("+0.0000;-0.0000;0", CultureInfo.InvariantCulture),
                            d.StandardError is { } se ? F(se) : "—", d.Z is { } z ? z.ToString("0.00", CultureInfo.InvariantCulture) : "—");
                    }
                    CliConsole.Create().Write(table);
                }
                return 0;
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
        });
        return command;
    }

    private static Command Index()
    {
        var files = new Argument<string[]>("files") { Description = "Training-corpus text files to index.", Arity = ArgumentArity.ZeroOrMore };
        var corpusDocuments = new Option<int>("--training-corpus") { Description = "Also index the first N documents of Levain's built-in training corpus.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Where to write the index.", Required = true };
        var n = new Option<int>("--n") { Description = "N-gram length in tokens.", DefaultValueFactory = _ => NGramIndex.DefaultN };
        var indexJson = new Option<bool>("--json") { Description = "Print what was indexed as JSON." };
        var command = new Command("index",
            "Build a contamination index: hashed n-grams (lower-cased, punctuation stripped, whitespace tokens) of a training corpus, " +
            "for 'levain eval --contamination'." + ExitCodes) { files, corpusDocuments, output, n, indexJson };
        command.SetAction(parse =>
        {
            try
            {
                var paths = parse.GetValue(files) ?? [];
                var count = parse.GetValue(corpusDocuments);
                if (paths.Length == 0 && count <= 0)
                {
                    return Fail("give corpus files or --training-corpus N");
                }
                if (parse.GetValue(n) < 1)
                {
                    return Fail("--n must be at least 1");
                }
                var documents = paths.Select(p => File.Exists(p) ? File.ReadAllText(p) : throw new InputException(p, 0, "file", "does not exist"))
                    .Concat(TrainingCorpusStream.Documents(Math.Max(count, 0)));
                var index = NGramIndex.FromDocuments(documents, parse.GetValue(n));
                index.Save(parse.GetValue(output)!);
                CliConsole.Out.WriteLine(parse.GetValue(indexJson)
                    ? new JsonObject { ["ngrams"] = index.Count, ["n"] = index.N, ["out"] = Path.GetFullPath(parse.GetValue(output)!) }.ToJsonString()
                    : $"indexed {index.Count} distinct {index.N}-grams into {parse.GetValue(output)}");
                return 0;
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
        });
        return command;
    }

    private static Command Mislabels()
    {
        var reports = new Argument<string[]>("reports") { Description = "report.json files of strong reference runs.", Arity = ArgumentArity.OneOrMore };
        var minConfidence = new Option<double>("--min-confidence") { Description = "Each run must choose the other answer with at least this probability.", DefaultValueFactory = _ => 0.6 };
        var minRuns = new Option<int>("--min-runs") { Description = "At least this many runs must have scored the item.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("mislabels",
            "Flag likely mislabels: items where every reference run confidently agrees on the same non-gold answer." + ExitCodes) { reports, minConfidence, minRuns, json };
        command.SetAction(parse =>
        {
            try
            {
                var runs = (parse.GetValue(reports) ?? []).Select(ReportJson.Read).ToArray();
                var flags = MislabelDetector.Find(runs, parse.GetValue(minConfidence), Math.Max(parse.GetValue(minRuns), 1));
                if (parse.GetValue(json))
                {
                    CliConsole.Out.WriteLine(ReportJson.Serialize(flags));
                    return 0;
                }
                var table = new Table().Title($"{flags.Count} likely mislabels").AddColumns("task", "item", "gold", "suggested", "runs", "mean confidence");
                foreach (var f in flags)
                {
                    table.AddRow(Markup.Escape(f.Task), Markup.Escape(f.ItemId), string.Join(",", f.GoldChoices), Markup.Escape($"{f.SuggestedChoice}: {f.SuggestedAnswer}"),
                        f.Runs.ToString(CultureInfo.InvariantCulture), F(f.MeanConfidence));
                }
                CliConsole.Create().Write(table);
                return 0;
            }
            catch (InputException e)
            {
                return Fail(e.Message);
            }
        });
        return command;
    }

    private static void Render(RunReport report, string outDir)
    {
        foreach (var task in report.Tasks)
        {
            var table = new Table().Title($"{Markup.Escape(task.Name)} ({task.Items} items)").AddColumns("metric", "full");
            var hasClean = task.Clean is { } clean && clean.Items != task.Items;
            if (hasClean)
            {
                table.AddColumn($"clean (n={task.Clean!.Items})");
            }
            foreach (var subset in task.Contamination)
            {
                table.AddColumn($"{subset.Name} (n={subset.Items})");
            }
            foreach (var metric in task.MetricNames)
            {
                var cells = new List<string> { metric, Cell(task.Metrics, metric) };
                if (hasClean)
                {
                    cells.Add(Cell(task.Clean!.Metrics, metric));
                }
                cells.AddRange(task.Contamination.Select(s => Cell(s.Metrics, metric)));
                table.AddRow([.. cells.Select(Markup.Escape)]);
            }
            CliConsole.Create().Write(table);
            if (task.Rotations is { } r)
            {
                CliConsole.Out.WriteLine($"  rotations {r.Rotations}: mean acc {MarkdownReport.Format(r.MeanAccuracy)}, strict acc {MarkdownReport.Format(r.StrictAccuracy)}, recall spread {F(r.RecallSpread)}");
            }
            if (task.EffectiveLength is { } l)
            {
                CliConsole.Out.WriteLine($"  effective length (acc ≥ {F(l.Threshold)}): {(l.EffectiveLength is { } e ? e.ToString(CultureInfo.InvariantCulture) + " characters" : "none")}");
            }
        }
        foreach (var group in report.Groups)
        {
            var table = new Table().Title($"group {Markup.Escape(group.Name)} ({group.Tasks.Count} tasks, {group.Items} items)").AddColumns("metric", "value ± se", "method");
            foreach (var (metric, estimate) in group.Metrics)
            {
                table.AddRow(Markup.Escape(metric), Markup.Escape(MarkdownReport.Format(estimate)), estimate.Method);
            }
            CliConsole.Create().Write(table);
        }
        CliConsole.Out.WriteLine($"model {report.Manifest.ModelId}; report written to {Path.Combine(outDir, "report.json")} and report.md");
    }

    private static string Cell(IReadOnlyDictionary<string, Evals.Statistics.MetricEstimate> metrics, string metric) =>
        metrics.TryGetValue(metric, out var e) ? MarkdownReport.Format(e) : "—";

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static int Fail(string message)
    {
        return CliConsole.BadInput(message);
    }

    private sealed class SynchronousProgress(Action<EvalProgress> onReport) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => onReport(value);
    }
}
