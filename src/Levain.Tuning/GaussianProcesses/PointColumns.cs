namespace Levain.Tuning.GaussianProcesses;

/// <summary>
/// Points stored column-major (d arrays of length count) so a kernel can evaluate k(x, ·) against many points with
/// vector instructions along the points.
/// </summary>
internal sealed class PointColumns
{
    public PointColumns(IReadOnlyList<double[]> points, int dimension)
    {
        ArgumentNullException.ThrowIfNull(points);
        Count = points.Count;
        Columns = new double[dimension][];
        for (var k = 0; k < dimension; k++)
        {
            var column = new double[Count];
            for (var j = 0; j < Count; j++)
            {
                column[j] = points[j][k];
            }
            Columns[k] = column;
        }
    }

    public int Count { get; }

    /// <summary>Columns[k][j] = coordinate k of point j.</summary>
    public double[][] Columns { get; }
}
