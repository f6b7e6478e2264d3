namespace Levain.Evals.Items;

/// <summary>How an item is put to the model (docs/evals.md, "Items and tasks").</summary>
public enum ItemFormat
{
    /// <summary>Each choice's text is scored as the continuation of the context.</summary>
    Cloze,

    /// <summary>Choices are listed as A., B., … in the prompt and the letters are scored.</summary>
    Lettered,

    /// <summary>The model generates text, compared with the gold string(s) by exact match.</summary>
    Generate,

    /// <summary>The whole text is scored (perplexity family); no choices.</summary>
    Rolling,
}
