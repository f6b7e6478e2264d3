using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Levain.Evals.Backends;
using Levain.Evals.Scoring;
using Levain.Evals.Serving;
using Levain.Evals.Tests.Fakes;
using Levain.Evals.Tests.Scoring;

namespace Levain.Evals.Tests.Serving;

public sealed class CompletionsServerTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task Evaluate_OverHttpAndInProcess_GiveIdenticalScores()
    {
        var model = CharBigramModel.Default;
        await using var server = CompletionsServer.Start(model, new CompletionsServerOptions(Port: 0));
        using var http = new HttpClient();
        var remote = await CompletionsBackend.ConnectAsync(http, server.BaseAddress.ToString());
        Assert.True((await remote.SelfTestAsync()).IsPassed);
        Assert.Equal(model.ModelId, remote.ModelId);
        Assert.Equal(model.TokenizerId, remote.TokenizerId);

        var task = EvaluatorTests.ClozeTask(9);
        var local = await new Evaluator(model, new EvaluatorOptions(BatchSize: 5)).RunAsync(task);
        var viaHttp = await new Evaluator(remote, new EvaluatorOptions(BatchSize: 5)).RunAsync(task);

        Assert.Equal(local.Rows.Count, viaHttp.Rows.Count);
        for (var i = 0; i < local.Rows.Count; i++)
        {
            for (var j = 0; j < local.Rows[i].Choices.Count; j++)
            {
                var (a, b) = (local.Rows[i].Choices[j], viaHttp.Rows[i].Choices[j]);
                Assert.Equal(a.LogLikelihood, b.LogLikelihood, Tolerance);
                Assert.Equal(a.UnconditionalLogLikelihood!.Value, b.UnconditionalLogLikelihood!.Value, Tolerance);
                Assert.Equal(a.TokenCount, b.TokenCount);
                Assert.Equal(a.IsGreedy, b.IsGreedy);
            }
            foreach (var (metric, value) in local.Rows[i].Scores)
            {
                Assert.Equal(value, viaHttp.Rows[i].Scores[metric], Tolerance);
            }
        }
    }

    [Fact]
    public async Task Completions_TokenIdPromptWithEcho_ReturnsPromptLogProbs()
    {
        var model = CharBigramModel.Default;
        await using var server = CompletionsServer.Start(model, new CompletionsServerOptions());
        using var http = new HttpClient();
        var ids = model.Encode("the cat");
        var response = await http.PostAsJsonAsync(new Uri(server.BaseAddress, "v1/completions"), new
        {
            prompt = ids,
            echo = true,
            logprobs = 1,
            max_tokens = 0,
        });
        Assert.True(response.IsSuccessStatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var choice = body["choices"]![0]!;
        Assert.Equal("the cat", (string?)choice["text"]);
        var logprobs = choice["logprobs"]!;
        Assert.Equal(7, logprobs["tokens"]!.AsArray().Count);
        Assert.Null(logprobs["token_logprobs"]![0]);
        Assert.Equal(model.LogProb('t', 'h'), (double)logprobs["token_logprobs"]![1]!, 1e-12);
        Assert.Equal(4, (int)logprobs["text_offset"]![4]!);
        Assert.Equal("text_completion", (string?)body["object"]);
    }

    [Fact]
    public async Task Completions_GenerationWithStop_CutsAtTheStopAndMatchesGreedy()
    {
        var model = CharBigramModel.Default;
        await using var server = CompletionsServer.Start(model, new CompletionsServerOptions());
        using var http = new HttpClient();
        var prompt = "the quick brown fox jumps over the";
        var greedy = model.Decode(await model.GenerateTokensAsync(model.Encode(prompt), 12, 0, 0));
        var stop = greedy.Substring(4, 1);
        var response = await http.PostAsJsonAsync(new Uri(server.BaseAddress, "v1/completions"), new
        {
            prompt,
            max_tokens = 12,
            temperature = 0,
            stop = new[] { stop },
        });
        var choice = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!;
        Assert.Equal(TokenizedScoring.CutAtStop(greedy, [stop]), (string?)choice["text"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
    }

    [Theory]
    [InlineData("""{"max_tokens": 1}""", "prompt")]
    [InlineData("""{"prompt": "x", "logprobs": 9}""", "logprobs")]
    [InlineData("""{"prompt": "x", "n": 2}""", "n = 1")]
    [InlineData("""not json""", "JSON")]
    public async Task Completions_BadRequest_Answers400WithMessage(string body, string mentions)
    {
        await using var server = CompletionsServer.Start(CharBigramModel.Default, new CompletionsServerOptions());
        using var http = new HttpClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(server.BaseAddress, "v1/completions"), content);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Contains(mentions, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfTest_ServerWithoutPromptLogProbs_FailsWithClearMessage()
    {
        // llama.cpp's server style: echo is ignored and no prompt log-probabilities come back.
        using var stub = new StubHttpServer(path => path.EndsWith("/models", StringComparison.Ordinal)
            ? """{"data":[{"id":"llama"}]}"""
            : """{"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length"}]}""");
        using var http = new HttpClient();
        var backend = await CompletionsBackend.ConnectAsync(http, stub.Url);

        var result = await backend.SelfTestAsync();

        Assert.False(result.IsPassed);
        Assert.Contains("no log-probabilities", result.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EndpointProtocolException>(() => backend.ScoreAsync([new ScoreRequest("a", " b")]));
    }

    [Fact]
    public async Task SelfTest_ServerWithNullPromptLogProbs_Fails()
    {
        using var stub = new StubHttpServer(_ =>
            """{"choices":[{"index":0,"text":"ab","logprobs":{"tokens":["a","b"],"token_logprobs":[null,null],"text_offset":[0,1]}}]}""");
        using var http = new HttpClient();
        var backend = await CompletionsBackend.ConnectAsync(http, stub.Url + "/v1", "m");
        var result = await backend.SelfTestAsync();
        Assert.False(result.IsPassed);
        Assert.Contains("prompt log-probabilities", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://h:1", "http://h:1/v1/completions")]
    [InlineData("http://h:1/v1/", "http://h:1/v1/completions")]
    [InlineData("http://h:1/v1/completions", "http://h:1/v1/completions")]
    public void CompletionsUriOf_AcceptsRootBaseOrFullUrl(string endpoint, string expected) =>
        Assert.Equal(expected, CompletionsBackend.CompletionsUriOf(endpoint).ToString());
}
