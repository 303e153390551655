namespace HW1.Research.Models;

/// <summary>Chooses MLP hidden widths whose parameter count comes as close as possible to a budget.</summary>
public static class ParameterBudget
{
    /// <summary>
    /// Hidden widths for an MLP of <paramref name="depth"/> hidden layers whose parameter count is within
    /// <paramref name="tolerance"/> (relative) of <paramref name="budget"/>: every hidden layer has the same width
    /// except the last, which may differ so the count can land closer. Among the candidates within the tolerance
    /// the most balanced one wins (last width nearest the others), then the closest count; when none is within
    /// it, the closest count. Exhaustive over widths up to the budget.
    /// </summary>
    public static int[] Widths(int depth, long budget, int inputs = 1, int outputs = 1, double tolerance = 0.01)
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "An MLP needs at least one hidden layer.");
        if (budget < Mlp.CountParameters(inputs, Enumerable.Repeat(1, depth).ToArray(), outputs))
            throw new ArgumentOutOfRangeException(nameof(budget), budget, $"The budget is below the smallest {depth}-layer MLP.");
        int[]? best = null;
        long bestGap = long.MaxValue;
        int bestSpread = int.MaxValue;
        for (int width = 1; ; width++)
        {
            var uniform = Enumerable.Repeat(width, depth).ToArray();
            // The smallest count at this width (last layer of width 1) only grows with width: stop once it overshoots.
            int[] smallest = depth == 1 ? uniform : [.. uniform[..^1], 1];
            if (Mlp.CountParameters(inputs, smallest, outputs) - budget > Math.Max(bestGap, (long)(tolerance * budget))) break;
            int lastMax = depth == 1 ? width : (2 * width) + 1;
            for (int last = depth == 1 ? width : 1; last <= lastMax; last++)
            {
                int[] widths = [.. uniform[..^1], last];
                long gap = Math.Abs(Mlp.CountParameters(inputs, widths, outputs) - budget);
                int spread = Math.Abs(last - width);
                if (IsBetter(gap, spread, bestGap, bestSpread, (long)(tolerance * budget)))
                {
                    best = widths;
                    bestGap = gap;
                    bestSpread = spread;
                }
            }
        }
        return best!;
    }

    private static bool IsBetter(long gap, int spread, long bestGap, int bestSpread, long allowed)
    {
        bool within = gap <= allowed, bestWithin = bestGap <= allowed;
        if (within != bestWithin) return within;
        if (within && spread != bestSpread) return spread < bestSpread;
        return gap < bestGap || (gap == bestGap && spread < bestSpread);
    }
}
