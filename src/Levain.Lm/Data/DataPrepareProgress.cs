namespace Levain.Lm.Data;

/// <summary>Progress of <see cref="DataPreparer"/>: the source and file being read, documents and tokens so far.</summary>
public readonly record struct DataPrepareProgress(string Source, string File, long Documents, long Tokens);
