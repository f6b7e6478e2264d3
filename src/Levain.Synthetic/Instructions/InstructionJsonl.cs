using System.Text;
using System.Text.Json;

namespace Levain.Synthetic.Instructions;

/// <summary>
/// Writes examples as databricks-dolly-15k JSONL: one object per line with <c>instruction</c>, <c>context</c>,
/// <c>response</c>, <c>category</c>, plus <c>group</c> (the program hash; a held-out split by group keeps a program
/// on one side) and <c>choices</c> (answers a guess picks among; omitted where chance is undefined).
/// </summary>
public static class InstructionJsonl
{
    public static void Write(TextWriter writer, IEnumerable<InstructionExample> examples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(examples);
        foreach (var example in examples)
        {
            writer.Write(Line(example));
            writer.Write('\n');
        }
    }

    public static string Line(InstructionExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("instruction", example.Instruction);
            json.WriteString("context", example.Context);
            json.WriteString("response", example.Response);
            json.WriteString("category", example.Category);
            json.WriteString("group", example.Group);
            if (example.Choices > 0)
            {
                json.WriteNumber("choices", example.Choices);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
