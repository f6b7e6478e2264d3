using System.Numerics;
using System.Runtime.InteropServices;

namespace Levain.Tuning.GaussianProcesses;

/// <summary>Vectorised dot product and axpy over spans (System.Numerics.Vector&lt;double&gt;).</summary>
internal static class DenseKernels
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var k = 0;
            for (; k + 1 < va.Length; k += 2)
            {
                acc0 += va[k] * vb[k];
                acc1 += va[k + 1] * vb[k + 1];
            }
            if (k < va.Length)
            {
                acc0 += va[k] * vb[k];
            }
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>y += alpha · x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = Math.Min(x.Length, y.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(alpha);
            for (var k = 0; k < vx.Length; k++)
            {
                vy[k] += va * vx[k];
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>y += a0·x0 + a1·x1 + a2·x2 + a3·x3 (one load/store of y per four updates; fused multiply-add).</summary>
    public static void Axpy4(double a0, ReadOnlySpan<double> x0, double a1, ReadOnlySpan<double> x1, double a2, ReadOnlySpan<double> x2, double a3, ReadOnlySpan<double> x3, Span<double> y)
    {
        var n = y.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(x0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(x1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(x2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(x3[..n]);
            var c0 = new Vector<double>(a0);
            var c1 = new Vector<double>(a1);
            var c2 = new Vector<double>(a2);
            var c3 = new Vector<double>(a3);
            for (var k = 0; k < vy.Length; k++)
            {
                var acc = Vector.FusedMultiplyAdd(c0, v0[k], vy[k]);
                acc = Vector.FusedMultiplyAdd(c1, v1[k], acc);
                acc = Vector.FusedMultiplyAdd(c2, v2[k], acc);
                vy[k] = Vector.FusedMultiplyAdd(c3, v3[k], acc);
            }
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] += (a0 * x0[i]) + (a1 * x1[i]) + (a2 * x2[i]) + (a3 * x3[i]);
        }
    }

    /// <summary>
    /// Σ shared_k·a_k accumulated exactly as one lane of <see cref="Dot4"/> (one fused multiply-add accumulator, then a
    /// scalar tail), so a single row reproduces the blocked factorisation bit for bit.
    /// </summary>
    public static double DotFused(ReadOnlySpan<double> shared, ReadOnlySpan<double> a)
    {
        var n = shared.Length;
        var i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vs = MemoryMarshal.Cast<double, Vector<double>>(shared);
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
            Vector<double> c = default;
            for (var k = 0; k < vs.Length; k++)
            {
                c = Vector.FusedMultiplyAdd(vs[k], va[k], c);
            }
            s = Vector.Sum(c);
            i = vs.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            s += shared[i] * a[i];
        }
        return s;
    }

    /// <summary>The four dot products of <paramref name="shared"/> with a0…a3 (one load of shared per four products).</summary>
    public static (double S0, double S1, double S2, double S3) Dot4(ReadOnlySpan<double> shared, ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2, ReadOnlySpan<double> a3)
    {
        var n = shared.Length;
        var i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vs = MemoryMarshal.Cast<double, Vector<double>>(shared);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(a0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(a1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(a2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(a3[..n]);
            Vector<double> c0 = default, c1 = default, c2 = default, c3 = default;
            for (var k = 0; k < vs.Length; k++)
            {
                var x = vs[k];
                c0 = Vector.FusedMultiplyAdd(x, v0[k], c0);
                c1 = Vector.FusedMultiplyAdd(x, v1[k], c1);
                c2 = Vector.FusedMultiplyAdd(x, v2[k], c2);
                c3 = Vector.FusedMultiplyAdd(x, v3[k], c3);
            }
            (s0, s1, s2, s3) = (Vector.Sum(c0), Vector.Sum(c1), Vector.Sum(c2), Vector.Sum(c3));
            i = vs.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            var x = shared[i];
            s0 += x * a0[i];
            s1 += x * a1[i];
            s2 += x * a2[i];
            s3 += x * a3[i];
        }
        return (s0, s1, s2, s3);
    }
}
