namespace Levain.Tuning;

/// <summary>Whether a smaller or a larger output is better.</summary>
public enum Direction
{
    Minimize,
    Maximize,
}
