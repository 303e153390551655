using HW1.Research.Analysis;

namespace HW1.Research.Tests.Analysis;

public class PcaTests
{
    [Fact]
    public void Recovers_the_principal_axes_and_variance_ratios_of_a_known_covariance()
    {
        // Points along two orthogonal unit axes u, v in 3-D with standard deviations 3 and 1 (variances 9 and 1),
        // plus a tiny third direction: the axes come back up to sign, the ratios as 9/10.0001 and 1/10.0001.
        var u = new[] { 1 / Math.Sqrt(2), 1 / Math.Sqrt(2), 0 };
        var v = new[] { -1 / Math.Sqrt(2), 1 / Math.Sqrt(2), 0 };
        var w = new[] { 0.0, 0.0, 1.0 };
        var random = new Random(5);
        var rows = new List<float[]>();
        for (int i = 0; i < 4000; i++)
        {
            double a = 3 * Gaussian(random), b = Gaussian(random), c = 0.01 * Gaussian(random);
            rows.Add(Enumerable.Range(0, 3).Select(k => (float)((a * u[k]) + (b * v[k]) + (c * w[k]) + 5)).ToArray());
        }

        var pca = Pca.Fit(rows, 2);

        Assert.Equal(1, Math.Abs(Dot(pca.Components[0], u)), 2);
        Assert.Equal(1, Math.Abs(Dot(pca.Components[1], v)), 2);
        Assert.Equal(0.9, pca.ExplainedVarianceRatio[0], 1);
        Assert.Equal(0.1, pca.ExplainedVarianceRatio[1], 1);
        Assert.True(pca.ExplainedVarianceRatio[0] > pca.ExplainedVarianceRatio[1]);
        // The sample mean of 4000 points lies within ±0.15 of the true mean 5 (more than 4 standard errors).
        Assert.All(pca.Mean, m => Assert.InRange(m, 4.85, 5.15));
        Assert.Equal(4000, pca.Projections.Length);
        // The projections have the variances of the axes they lie on.
        Assert.Equal(9, Variance(pca.Projections.Select(p => p[0])), 0);
        Assert.Equal(1, Variance(pca.Projections.Select(p => p[1])), 1);
    }

    [Fact]
    public void Too_few_points_or_components_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Pca.Fit([new float[] { 1, 2 }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit([new float[] { 1, 2 }, new float[] { 3, 4 }], 3));
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Dot(double[] a, double[] b) => a.Zip(b).Sum(p => p.First * p.Second);

    private static double Variance(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return list.Sum(x => (x - mean) * (x - mean)) / (list.Count - 1);
    }
}
