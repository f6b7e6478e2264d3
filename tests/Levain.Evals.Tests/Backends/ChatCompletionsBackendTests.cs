using System.Text.Json.Nodes;
using Levain.Evals.Backends;
using Levain.Evals.Backends.Http;
using Levain.Evals.Items;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Backends;

/// <summary>
/// The chat-completions backend against <see cref="FakeVllmServer"/>'s <c>/v1/chat/completions</c> (vLLM's response
/// shape: message.content, logprobs.content[] with token, logprob, bytes and top_logprobs), with the character-bigram
/// model as the oracle of what greedy generation must return.
/// </summary>
public sealed class ChatCompletionsBackendTests
{
    private static readonly CharBigramModel Model = CharBigramModel.Default;

    private static EndpointOptions Fast(double timeoutSeconds = 10) => new()
    {
        Retries = 4,
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Concurrency = 4,
    };

    /// <summary>Greedy continuation of the fake's templated prompt: its text and per-token log-probabilities.</summary>
    private static (string Text, double[] LogProbs) Oracle(string prompt, string? system, int maxTokens)
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = prompt });
        var previous = FakeVllmServer.ChatPrompt(messages)[^1];
        var text = new System.Text.StringBuilder();
        var logProbs = new List<double>();
        for (var t = 0; t < maxTokens; t++)
        {
            var next = (char)Model.Top(previous, 1)[0].TokenId;
            logProbs.Add(Model.LogProb(previous, next));
            text.Append(next);
            previous = next;
        }
        return (text.ToString(), [.. logProbs]);
    }

    [Fact]
    public async Task Generate_VllmChatShapes_ContentAndLogprobsEqualOracle()
    {
        using var server = new FakeVllmServer(Model);
        using var http = new HttpClient();
        using var client = new EndpointClient(http, Fast());
        var backend = await ChatCompletionsBackend.ConnectAsync(client, server.Url + "/v1", systemPrompt: "Answer briefly.", topLogprobs: 3);
        Assert.Equal(new Uri(server.Url + "/v1/chat/completions"), backend.ChatUri);
        var selfTest = await backend.SelfTestAsync();
        Assert.True(selfTest.IsPassed, selfTest.Message);
        Assert.Contains("#", backend.ModelId, StringComparison.Ordinal);

        var prompts = new[] { "a cat sat on the", "what is two plus two?", "x = 3" };
        var answers = await backend.GenerateAsync([.. prompts.Select(p => new GenerateRequest(p, [], 10))]);
        for (var i = 0; i < prompts.Length; i++)
        {
            var (text, logProbs) = Oracle(prompts[i], "Answer briefly.", 10);
            Assert.Equal(text, answers[i]);
            var completion = backend.Completions[prompts[i]];
            Assert.Equal("length", completion.FinishReason);
            Assert.Equal(logProbs.Length, completion.Tokens.Count);
            for (var t = 0; t < logProbs.Length; t++)
            {
                Assert.Equal(logProbs[t], completion.Tokens[t].LogProb, 1e-12);
                Assert.True(completion.Tokens[t].IsGreedy); // greedy decoding: each token is the max of its top_logprobs
            }
            Assert.Equal(text, string.Concat(completion.Tokens.Select(t => t.Text)));
        }
        Assert.Contains("<system>\nAnswer briefly.\n<user>\na cat sat on the\n<assistant>\n", server.ChatPrompts);
    }

    [Fact]
    public async Task Generate_StopSequences_CutLocallyAndOnlyFourSentToServer()
    {
        using var server = new FakeVllmServer(Model);
        using var http = new HttpClient();
        using var client = new EndpointClient(http, Fast());
        var backend = await ChatCompletionsBackend.ConnectAsync(client, server.Url);
        var (text, _) = Oracle("a cat sat on the", null, 24);
        var stop = text.Substring(6, 2); // a stop sequence that occurs in the greedy text
        var stops = new[] { "#1", "#2", "#3", "#4", stop }; // the fifth never reaches the server but still cuts
        var answer = (await backend.GenerateAsync([new GenerateRequest("a cat sat on the", stops, 24)]))[0];
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], answer);
        Assert.Equal("length", backend.Completions["a cat sat on the"].FinishReason);

        var served = (await backend.GenerateAsync([new GenerateRequest("a cat sat on the", [stop], 24)]))[0];
        Assert.Equal(answer, served);
        Assert.Equal("stop", backend.Completions["a cat sat on the"].FinishReason);
    }

    [Fact]
    public async Task Generate_FaultsInjected_EqualCleanRunAfterRetries()
    {
        var requests = new[] { "a cat sat on the", "the quick brown", "Question:" }.Select(p => new GenerateRequest(p, ["."], 12)).ToArray();
        using var http = new HttpClient();
        IReadOnlyList<string> clean;
        using (var server = new FakeVllmServer(Model))
        using (var client = new EndpointClient(http, Fast()))
        {
            clean = await (await ChatCompletionsBackend.ConnectAsync(client, server.Url)).GenerateAsync(requests);
        }
        using var faulty = new FakeVllmServer(Model) { SlowDelay = TimeSpan.FromSeconds(3) };
        var retries = new List<string>();
        using var faultyClient = new EndpointClient(http, Fast(timeoutSeconds: 1) with { OnRetry = (_, reason, _) => { lock (retries) { retries.Add(reason); } } });
        var backend = await ChatCompletionsBackend.ConnectAsync(faultyClient, faulty.Url);
        foreach (var fault in new[] { FakeVllmServer.Fault.ServiceUnavailable, FakeVllmServer.Fault.ResetConnection, FakeVllmServer.Fault.Slow, FakeVllmServer.Fault.TooManyRequests })
        {
            faulty.Faults.Enqueue(fault);
        }
        var answers = await backend.GenerateAsync(requests);
        Assert.Empty(faulty.Faults);
        Assert.Equal(4, retries.Count);
        Assert.Contains(retries, r => r.Contains("503", StringComparison.Ordinal));
        Assert.Contains(retries, r => r.Contains("429", StringComparison.Ordinal));
        Assert.Contains(retries, r => r.Contains("Timeout", StringComparison.Ordinal));
        Assert.Equal(clean, answers);
    }

    [Fact]
    public async Task Generate_PromptLongerThanContext_ContextLengthErrorWithoutRetry()
    {
        using var server = new FakeVllmServer(Model, maxModelLength: 64);
        using var http = new HttpClient();
        var retries = 0;
        using var client = new EndpointClient(http, Fast() with { OnRetry = (_, _, _) => Interlocked.Increment(ref retries) });
        var backend = await ChatCompletionsBackend.ConnectAsync(client, server.Url);
        var e = await Assert.ThrowsAsync<EndpointProtocolException>(() => backend.GenerateAsync([new GenerateRequest(new string('a', 80), [], 8)]));
        Assert.Equal(EndpointErrorKind.ContextLengthExceeded, e.Kind);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("maximum context length is 64", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, retries);
    }

    [Fact]
    public async Task Score_ThroughChat_RefusedWithReason()
    {
        using var server = new FakeVllmServer(Model);
        using var http = new HttpClient();
        using var client = new EndpointClient(http, Fast());
        var backend = await ChatCompletionsBackend.ConnectAsync(client, server.Url);
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => backend.ScoreAsync([new ScoreRequest("a", " b")]));
        Assert.Contains("never of a given continuation", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => backend.ScoreRollingAsync(["a b"]));
        Assert.True(ChatCompletionsBackend.Supports(ItemFormat.Generate));
        Assert.False(ChatCompletionsBackend.Supports(ItemFormat.Cloze));
        Assert.False(ChatCompletionsBackend.Supports(ItemFormat.Lettered));
        Assert.False(ChatCompletionsBackend.Supports(ItemFormat.Rolling));
    }

    /// <summary>
    /// A recorded vLLM answer: a token split inside a character (bytes alone are not UTF-8), a −∞ log-probability sent
    /// as −9999.0, a sampled token that is not the best of its top_logprobs, and a null content.
    /// </summary>
    [Fact]
    public void Parse_RecordedVllmShape_GreedyFromMaxOfTopLogprobs()
    {
        const string Recorded = """
            {"id":"chatcmpl-9b1c","object":"chat.completion","created":1733490000,"model":"Qwen/Qwen2.5-0.5B-Instruct",
             "choices":[{"index":0,"message":{"role":"assistant","reasoning_content":null,"content":"Caf\u00e9 42","tool_calls":[]},
               "logprobs":{"content":[
                 {"token":"Caf","logprob":-0.01,"bytes":[67,97,102],"top_logprobs":[{"token":"Caf","logprob":-0.01,"bytes":[67,97,102]},{"token":"The","logprob":-4.9,"bytes":[84,104,101]}]},
                 {"token":"\u00c3","logprob":-0.2,"bytes":[195],"top_logprobs":[{"token":"\u00c3","logprob":-0.2,"bytes":[195]}]},
                 {"token":"\u00a9","logprob":-9999.0,"bytes":[169],"top_logprobs":[{"token":"\u00a9","logprob":-9999.0,"bytes":[169]},{"token":" ","logprob":-0.5,"bytes":[32]}]},
                 {"token":" 42","logprob":-1.5,"bytes":null,"top_logprobs":[]}]},
               "finish_reason":"stop","stop_reason":null}],
             "usage":{"prompt_tokens":20,"total_tokens":24,"completion_tokens":4,"prompt_tokens_details":null},"prompt_logprobs":null}
            """;
        var from = new Uri("http://127.0.0.1:8000/v1/chat/completions");
        var parsed = ChatCompletion.Parse(JsonNode.Parse(Recorded)!.AsObject(), from);
        Assert.Equal("Café 42", parsed.Content);
        Assert.Equal("stop", parsed.FinishReason);
        Assert.Equal(["Caf", "\u00c3", "\u00a9", " 42"], parsed.Tokens.Select(t => t.Text));
        Assert.Equal([true, true, false, false], parsed.Tokens.Select(t => t.IsGreedy));
        Assert.Equal(-0.01 - 0.2 - 9999.0 - 1.5, parsed.LogProbability, 1e-9);

        var nullContent = ChatCompletion.Parse(JsonNode.Parse("""{"choices":[{"index":0,"message":{"role":"assistant","content":null},"logprobs":null,"finish_reason":"length"}]}""")!.AsObject(), from);
        Assert.Equal("", nullContent.Content);
        Assert.False(nullContent.HasLogprobs);

        var completionsShape = Assert.Throws<EndpointProtocolException>(() => ChatCompletion.Parse(JsonNode.Parse("""{"choices":[{"index":0,"text":"x"}]}""")!.AsObject(), from));
        Assert.Contains("choices[0].message", completionsShape.Message, StringComparison.Ordinal);
        var positive = Assert.Throws<EndpointProtocolException>(() => ChatCompletion.Parse(JsonNode.Parse(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"logprobs":{"content":[{"token":"x","logprob":0.5,"bytes":[120],"top_logprobs":[]}]}}]}""")!.AsObject(), from));
        Assert.Contains("logprobs.content[0].logprob", positive.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfTest_ServerWithoutLogprobs_FailsWithReason()
    {
        using var stub = new StubHttpServer(_ => """{"choices":[{"index":0,"message":{"role":"assistant","content":"one two"},"logprobs":null,"finish_reason":"stop"}]}""");
        using var http = new HttpClient();
        using var client = new EndpointClient(http, Fast());
        var backend = await ChatCompletionsBackend.ConnectAsync(client, stub.Url, model: "m");
        var result = await backend.SelfTestAsync();
        Assert.False(result.IsPassed);
        Assert.Contains("logprobs.content", result.Message, StringComparison.Ordinal);
    }
}
