using Levain.Core;
using Levain.Evals.Items;

namespace Levain.Evals.Tests.Items;

public sealed class ItemFileReaderStrictTests
{
    private static IReadOnlyList<EvalItem> Read(string jsonl) => ItemFileReader.Read(new StringReader(jsonl), "items.jsonl");

    [Theory]
    [InlineData("""{"query":"x","choices":[],"gold":0}""", "items.jsonl:1: choices: is empty")]
    [InlineData("""{"query":"x","choices":["a","b"],"gold":2}""", "items.jsonl:1: gold: index 2 is out of range for 2 choices")]
    [InlineData("""{"question":"x","choices":{"text":["a","b"],"label":["A","B"]},"answerKey":"C"}""", "items.jsonl:1: answerKey: 'C' is not one of the labels A, B")]
    [InlineData("""{"question":"x","choices":{"text":["a","b","c"],"label":["A","B"]},"answerKey":"A"}""", "items.jsonl:1: choices.label: has 2 labels for 3 choices")]
    [InlineData("""{"context":"x","choices":["a","b"],"gold":0,"meta":{"length":"long"}}""", "items.jsonl:1: meta.length: 'long' is not an integer")]
    public void Read_BadItem_NamesFileLineFieldAndProblem(string line, string message)
    {
        var error = Assert.Throws<InputException>(() => Read(line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HuggingFaceArc_AnswerKeyResolvesThroughLabelsIncludingNumericOnes()
    {
        var items = Read(
            """{"id":"Mercury_1","question":"Which is a gas?","choices":{"text":["rock","steam","ice","wood"],"label":["A","B","C","D"]},"answerKey":"B"}""" + "\n" +
            """{"id":"NYSEDREGENTS_2","question":"Pick three.","choices":{"text":["one","two","three","four"],"label":["1","2","3","4"]},"answerKey":"3"}""");
        Assert.Equal([1], items[0].Gold.Indices);
        Assert.Equal(["rock", "steam", "ice", "wood"], items[0].Choices);
        Assert.Equal([2], items[1].Gold.Indices); // label "3" is the third choice, not index 3
    }
}
