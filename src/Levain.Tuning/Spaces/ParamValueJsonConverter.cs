using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levain.Tuning.Spaces;

/// <summary>Writes a <see cref="ParamValue"/> as its natural JSON value and reads it back.</summary>
public sealed class ParamValueJsonConverter : JsonConverter<ParamValue>
{
    public override ParamValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return ParamValue.FromNumber(reader.GetDouble());
            case JsonTokenType.String:
                return ParamValue.FromChoice(reader.GetString()!);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return ParamValue.FromFlag(reader.GetBoolean());
            case JsonTokenType.StartArray:
                var weights = new List<double>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        throw new JsonException("Simplex weights must be numbers.");
                    }
                    weights.Add(reader.GetDouble());
                }
                return ParamValue.FromWeights(weights);
            default:
                throw new JsonException($"A parameter value must be a number, string, boolean or array of numbers, not {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, ParamValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case ParamValueKind.Number: writer.WriteNumberValue(value.Number); break;
            case ParamValueKind.Choice: writer.WriteStringValue(value.Choice); break;
            case ParamValueKind.Flag: writer.WriteBooleanValue(value.Flag); break;
            default:
                writer.WriteStartArray();
                foreach (var w in value.Weights) writer.WriteNumberValue(w);
                writer.WriteEndArray();
                break;
        }
    }
}
