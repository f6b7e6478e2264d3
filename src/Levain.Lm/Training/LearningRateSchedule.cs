namespace Levain.Lm.Training;

/// <summary>Linear warmup to the peak learning rate, then cosine decay to <c>MinLearningRateRatio · peak</c> at the last step.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate of zero-based <paramref name="step"/>.</summary>
    public static double At(int step, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double peak = options.LearningRate;
        double floor = peak * options.MinLearningRateRatio;
        if (step < options.WarmupSteps)
        {
            return peak * (step + 1) / (options.WarmupSteps + 1);
        }
        int decaySteps = options.Steps - options.WarmupSteps;
        if (decaySteps <= 1)
        {
            return peak;
        }
        double progress = Math.Min(1.0, (double)(step - options.WarmupSteps) / (decaySteps - 1)); // 0 → 1
        return floor + 0.5 * (1.0 + Math.Cos(Math.PI * progress)) * (peak - floor);
    }
}
