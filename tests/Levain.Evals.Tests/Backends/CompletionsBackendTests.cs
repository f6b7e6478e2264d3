using Levain.Evals.Backends;
using Levain.Evals.Backends.Http;
using Levain.Evals.Tests.Fakes;

namespace Levain.Evals.Tests.Backends;

public sealed class CompletionsBackendTests
{
    private static EndpointClient Client(HttpClient http) => new(http, new EndpointOptions { Retries = 0, Timeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task SelfTest_ServerWithoutPromptLogProbs_FailsWithClearMessage()
    {
        // llama.cpp's server style: echo is ignored and no prompt log-probabilities come back.
        using var stub = new StubHttpServer(path => path.EndsWith("/models", StringComparison.Ordinal)
            ? """{"data":[{"id":"llama"}]}"""
            : """{"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length"}]}""");
        using var http = new HttpClient();
        using var client = Client(http);
        var backend = await CompletionsBackend.ConnectAsync(client, stub.Url);

        var result = await backend.SelfTestAsync();

        Assert.False(result.IsPassed);
        Assert.Contains("no log-probabilities", result.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EndpointProtocolException>(() => backend.ScoreAsync([new ScoreRequest("a", " b")]));
    }

    [Fact]
    public async Task SelfTest_ServerWithNullPromptLogProbs_Fails()
    {
        using var stub = new StubHttpServer(_ =>
            """{"choices":[{"index":0,"text":"abc","logprobs":{"tokens":["a","b","c"],"token_logprobs":[null,null,null],"text_offset":[0,1,2]}}]}""");
        using var http = new HttpClient();
        using var client = Client(http);
        var backend = await CompletionsBackend.ConnectAsync(client, stub.Url + "/v1", "m");
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

    [Theory]
    [InlineData(400, """{"object":"error","message":"This model's maximum context length is 2048 tokens. However, you requested 2050 tokens (2049 in the messages, 1 in the completion).","type":"BadRequestError","param":null,"code":400}""", EndpointErrorKind.ContextLengthExceeded)]
    [InlineData(400, """{"error":{"message":"This model's maximum context length is 4097 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", EndpointErrorKind.ContextLengthExceeded)]
    [InlineData(422, """{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4095 `inputs` tokens and 2 `max_new_tokens`","error_type":"validation"}""", EndpointErrorKind.ContextLengthExceeded)]
    [InlineData(400, """{"error":{"message":"max_tokens must be at least 1, got 0.","type":"BadRequestError","param":null,"code":400}}""", EndpointErrorKind.MaxTokensRejected)]
    [InlineData(400, """{"error":{"message":"logprobs must be between 0 and 5","type":"BadRequestError"}}""", EndpointErrorKind.BadRequest)]
    [InlineData(401, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}""", EndpointErrorKind.Unauthorized)]
    [InlineData(429, """{"error":{"message":"Rate limit reached","type":"requests"}}""", EndpointErrorKind.RateLimited)]
    [InlineData(503, "<html>Service Unavailable</html>", EndpointErrorKind.ServerError)]
    public void ErrorOf_ToldApartByStatusAndBody(int status, string body, EndpointErrorKind kind)
    {
        var error = EndpointClient.ErrorOf(new Uri("http://h/v1/completions"), status, body);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.DoesNotContain("{\"", error.Message, StringComparison.Ordinal);
    }
}
