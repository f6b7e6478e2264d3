namespace Levain.Synthetic.LongContext;

/// <summary>
/// Seeded filler prose: plain sentences without digits, hyphens or capitalised runs, so nothing in the filler can
/// be mistaken for a needle's key, value or variable name.
/// </summary>
internal static class FillerText
{
    private static readonly string[] Subjects =
    [
        "the old miller", "a quiet river", "the baker", "the morning fog", "a small boat", "the village clock",
        "the gardener", "a grey heron", "the north wind", "the library", "a tired traveller", "the orchard",
    ];

    private static readonly string[] Verbs =
    [
        "watched", "followed", "crossed", "remembered", "painted", "ignored", "carried", "waited for", "described",
        "passed", "circled", "visited",
    ];

    private static readonly string[] Objects =
    [
        "the long road", "a field of barley", "the stone bridge", "the harbour lights", "an empty cart",
        "the far hills", "a bundle of letters", "the market square", "the frozen pond", "a lantern",
        "the narrow lane", "the chapel roof",
    ];

    private static readonly string[] Endings =
    [
        "before dawn", "after the rain", "without a word", "as the bells rang", "for most of the day",
        "while the kettle boiled", "under a pale sky", "once again", "in no particular hurry", "at dusk",
    ];

    /// <summary>Longest sentence <see cref="Sentence"/> can return, in characters (including the trailing space).</summary>
    public static int MaxSentenceChars { get; } =
        Subjects.Max(s => s.Length) + Verbs.Max(s => s.Length) + Objects.Max(s => s.Length) + Endings.Max(s => s.Length) + 5;

    public static string Sentence(Random random)
    {
        var subject = Subjects[random.Next(Subjects.Length)];
        var text = $"{char.ToUpperInvariant(subject[0])}{subject[1..]} {Verbs[random.Next(Verbs.Length)]} " +
                   $"{Objects[random.Next(Objects.Length)]} {Endings[random.Next(Endings.Length)]}.";
        return text;
    }
}
