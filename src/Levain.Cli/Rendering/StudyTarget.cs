using Levain.Runner.Definition;
using Levain.Runner.StudyFiles;
using Levain.Studies;

namespace Levain.Cli.Rendering;

/// <summary>
/// What a <c>levain study …</c> argument points at: a study file (its storage and name) or a storage location
/// (<c>sqlite:…</c>, <c>postgres://…</c>) plus an optional <c>--name</c>.
/// </summary>
internal sealed record StudyTarget(string Storage, string BaseDirectory, string? StudyName, StudyDefinition? Definition)
{
    /// <summary>Throws <see cref="StudyFileException"/> or <see cref="FormatException"/> for bad input.</summary>
    public static StudyTarget Resolve(string argument, string? name)
    {
        var isStorage = argument.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) || argument.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        if (!isStorage)
        {
            var definition = StudyFileParser.Load(argument);
            return new StudyTarget(definition.Storage, definition.BaseDirectory, name ?? definition.Name, definition);
        }
        _ = StudyStorage.Parse(argument, Environment.CurrentDirectory);
        return new StudyTarget(argument, Environment.CurrentDirectory, name, null);
    }

    public IStudyStore Open() => StudyStorage.Open(Storage, BaseDirectory);

    /// <summary>Why the storage cannot hold a study yet (a SQLite file that does not exist), or null.</summary>
    public string? MissingStorage()
    {
        var (kind, location) = StudyStorage.Parse(Storage, BaseDirectory);
        if (kind != "sqlite" || File.Exists(location)) return null;
        return Definition is null ? $"no study database at {location}" : $"study '{Definition.Name}' has not been run yet (no database at {location}); run 'levain tune' first";
    }

    /// <summary>The study to show: the named one, or the only one in the storage; otherwise an error message.</summary>
    public async Task<(string? Name, string? Error)> PickStudyAsync(IStudyStore store, CancellationToken cancellationToken)
    {
        if (StudyName is not null) return (StudyName, null);
        var studies = await store.ListStudiesAsync(cancellationToken).ConfigureAwait(false);
        return studies.Count switch
        {
            1 => (studies[0].Name, null),
            0 => (null, $"{Storage} holds no study yet"),
            _ => (null, $"{Storage} holds {studies.Count} studies ({string.Join(", ", studies.Select(s => s.Name))}); pick one with --name"),
        };
    }
}
