// Notation used throughout Levain.Tuning/GaussianProcesses (this folder imports nothing from the rest of the tuner).
//
//   n            number of training points (rows of X)
//   m            number of query points (candidates)
//   d            input dimension = dc + dk
//   dc           continuous input columns (first in every row); dk categorical columns (last, exact-match compared)
//   X            training inputs, n rows of length d (double[][]);  x, x′ single rows
//   y            training targets, length n; ȳ their mean (the GP's constant mean; targets are centred on it)
//   θ            kernel hyperparameters in log space, length p (ParameterCount); every kernel keeps log σ²_n last
//   ℓ_j          lengthscale of continuous column j = exp θ_j
//   σ²_m         Matérn-3/2 amplitude;  σ²_lin linear-kernel variance;  w_c categorical-kernel weight of column c
//   σ²_n         observation-noise variance = exp(θ_last) + σ²_floor (floor 1e-6, targets are standardised);
//                ε jitter added to the diagonal for numerical safety
//   r            scaled distance √Σ_j ((x_j − x′_j)/ℓ_j)²
//   k(x, x′)     σ²_lin·Σ_j x_j x′_j + σ²_m·(1 + √3 r)·exp(−√3 r)·exp(−Σ_c w_c·[x_c ≠ x′_c])
//   K            n×n training covariance k(X, X) + (σ²_n + ε)·I, symmetric positive definite
//   L            lower Cholesky factor, K = L·Lᵀ, stored as jagged rows (row i has length i + 1)
//   z            L⁻¹·(y − ȳ), length n;   α = K⁻¹·(y − ȳ) = L⁻ᵀ·z, length n
//   K*           n×m cross-covariance k(X, C) between training points and candidates C
//   V            L⁻¹·K*, n×m row-major; posterior mean μ = ȳ + Vᵀz, latent variance σ² = k(c, c) − Σ_i V_ij²
//   W            ααᵀ − K⁻¹ (n×n); ∂ log p(y|θ)/∂θ_k = ½·Σ_ij W_ij ∂K_ij/∂θ_k
//   log p(y|θ)   −½ (y − ȳ)ᵀα − Σ_i ln L_ii − (n/2)·ln 2π   (log marginal likelihood)
//   φ, Φ         standard normal density and distribution function
namespace Levain.Tuning.GaussianProcesses;

/// <summary>Numerical constants shared by the Gaussian-process code (see the glossary above).</summary>
internal static class Notation
{
    /// <summary>ε: the smallest diagonal jitter; escalated ×10 (up to <see cref="MaxJitter"/>) when a factorisation fails.</summary>
    public const double Jitter = 1e-8;

    public const double MaxJitter = 1e-2;

    /// <summary>σ²_floor: the smallest noise variance (σ²_n = exp θ + floor), so fits never chase zero noise.</summary>
    public const double NoiseFloor = 1e-6;

    public const double LogTwoPi = 1.8378770664093453;
}
