namespace VqaAspire.Api.Evaluation.Inference;

/// <summary>The normal and Student's t distributions the group-sequential test needs.</summary>
public static class Distributions
{
    /// <summary>Φ(x), from the complementary error function (Chebyshev fit, relative error below 1.2e-7; Numerical Recipes, 6.2).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    public static double NormalDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>Φ⁻¹(p) by bisection on <see cref="NormalCdf"/> (to 1e-10 on the z scale).</summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), "A probability strictly between 0 and 1.");
        }

        double low = -40, high = 40;
        while (high - low > 1e-10)
        {
            var mid = (low + high) / 2;
            (low, high) = NormalCdf(mid) < p ? (mid, high) : (low, mid);
        }

        return (low + high) / 2;
    }

    /// <summary>The two-sided p-value of a t statistic with <paramref name="degreesOfFreedom"/>: I_{ν/(ν+t²)}(ν/2, 1/2).</summary>
    public static double StudentTTwoSidedP(double t, double degreesOfFreedom) =>
        double.IsInfinity(t) ? 0 : RegularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    /// <summary>I_x(a, b) by its continued fraction (Numerical Recipes, 6.4).</summary>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2) ? front * BetaContinuedFraction(x, a, b) / a : 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-14)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x), Lanczos (Numerical Recipes, 6.1).</summary>
    private static double LogGamma(double x)
    {
        double[] cof = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
        var y = x;
        var tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        var ser = 1.000000000190015;
        foreach (var c in cof)
        {
            ser += c / ++y;
        }

        return -tmp + Math.Log(2.5066282746310005 * ser / x);
    }
}
