namespace Levain.Tuning.Modeling;

/// <summary>
/// When a surrogate's kernel hyperparameters θ are refitted (docs/tuner.md, "Incremental factorisation"). A model
/// with n points whose θ was last fitted at n_fit points is refitted when there is no θ yet, when n ≤
/// <see cref="AlwaysRefitUpTo"/> (early in a study, where every point moves θ), when n &lt; n_fit (the model lost
/// points), or when n ≥ (1 + <see cref="Growth"/>)·n_fit; otherwise the previous θ is kept and the cached factor of K
/// is extended. The rule reads only n and the n_fit saved with θ in the tuner state, so a tuner rebuilt from its
/// state makes the same decision as the live one, whatever calls the live process made in between.
/// </summary>
internal static class RefitSchedule
{
    /// <summary>Up to this many points θ is refitted at every suggestion.</summary>
    public const int AlwaysRefitUpTo = 128;

    /// <summary>Beyond that, θ is refitted once the model has grown by this fraction since the last fit.</summary>
    public const double Growth = 0.10;

    public static bool IsDue(int count, int? fittedAt) =>
        fittedAt is not { } last || count <= AlwaysRefitUpTo || count < last || count >= (1.0 + Growth) * last;
}
