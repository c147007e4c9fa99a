using System.Numerics;
using Shipgate.Delivery.Analysis;

namespace Shipgate.Delivery.Tests.Analysis;

public sealed class ErrorRateTestTests
{
    [Fact]
    public void Add_OneInterval_MatchesTheExactRationalLikelihoodRatio()
    {
        // ψ = 2 exactly: LR = 2^kc · Σ_x C(nc,x)C(ns,K−x) / Σ_x C(nc,x)C(ns,K−x)·2^x, in integers.
        var test = new ErrorRateTest([2.0]);
        test.Add(canaryRequests: 7, canaryErrors: 3, stableRequests: 11, stableErrors: 1);

        var (nc, ns, kc, k) = (7, 11, 3, 4);
        BigInteger numerator = 0, denominator = 0;
        for (var x = 0; x <= k; x++)
        {
            var ways = Choose(nc, x) * Choose(ns, k - x);
            numerator += ways;
            denominator += ways * BigInteger.Pow(2, x);
        }

        numerator *= BigInteger.Pow(2, kc);
        Assert.Equal(Math.Exp(BigInteger.Log(numerator) - BigInteger.Log(denominator)), Math.Exp(test.LogMixture), 12);
    }

    [Fact]
    public void Add_IntervalsWithChangingSplits_MatchesAnIndependentProductOfProbabilities()
    {
        double[] ratios = [1.5, 3, 10];
        (int Nc, int Kc, int Ns, int Ks)[] intervals = [(5, 1, 95, 1), (50, 4, 50, 0), (10, 0, 90, 3), (30, 6, 20, 2), (1, 1, 9, 0)];
        var test = new ErrorRateTest(ratios);
        foreach (var (nc, kc, ns, ks) in intervals)
        {
            test.Add(nc, kc, ns, ks);
        }

        // Reference: each interval's noncentral hypergeometric probability of the canary's errors, P_ψ(kc) / P_1(kc), as a
        // plain product of doubles over the intervals, then the equal-weight average.
        double Mixture(int intervalCount) =>
            ratios.Average(psi => intervals.Take(intervalCount).Aggregate(1.0, (product, i) => product * Probability(i, psi) / Probability(i, 1)));

        Assert.Equal(Mixture(intervals.Length), Math.Exp(test.LogMixture), 10);
        Assert.Equal(1 / Enumerable.Range(1, intervals.Length).Max(Mixture), test.PValue, 10);
    }

    [Fact]
    public void Add_RareErrors_AgreesWithTheNotesBinomialForm()
    {
        // With rare errors the exact law's odds ratio is the rate ratio r of the note: k | K ~ Binomial(K, nc·r / (nc·r + ns)).
        const double R = 4;
        var test = new ErrorRateTest([R]);
        (long Nc, long Kc, long Ns, long Ks)[] intervals = [(100_000, 3, 900_000, 5), (500_000, 7, 500_000, 2), (10_000, 1, 990_000, 9)];
        var binomial = 0.0;
        foreach (var (nc, kc, ns, ks) in intervals)
        {
            test.Add(nc, kc, ns, ks);
            double q0 = (double)nc / (nc + ns), q = nc * R / ((nc * R) + ns);
            binomial += (kc * Math.Log(q / q0)) + (ks * Math.Log((1 - q) / (1 - q0)));
        }

        Assert.Equal(binomial, test.LogMixture, 3);
    }

    [Theory]
    [InlineData(100, 0, 900, 0)]
    [InlineData(0, 0, 900, 12)]
    [InlineData(100, 5, 0, 0)]
    [InlineData(10, 10, 20, 20)]
    public void Add_IntervalWithoutInformation_ChangesNothing(long nc, long kc, long ns, long ks)
    {
        var test = new ErrorRateTest();
        test.Add(nc, kc, ns, ks);

        Assert.Equal(0, test.LogMixture);
        Assert.Equal(1, test.PValue);
    }

    [Fact]
    public void PValue_EvidenceThatFadesLater_KeepsItsSmallestValue()
    {
        var test = new ErrorRateTest();
        test.Add(10, 5, 90, 0);
        var early = test.PValue;
        test.Add(10_000, 0, 90_000, 500);

        Assert.True(early < 0.05);
        Assert.True(test.LogMixture < test.LogMaxMixture);
        Assert.Equal(early, test.PValue);
    }

    [Fact]
    public void Add_BetterCanary_NeverRejects()
    {
        var test = new ErrorRateTest();
        for (var i = 0; i < 1000; i++)
        {
            test.Add(100, 0, 100, 5);
        }

        Assert.False(test.Rejects(0.05));
        Assert.Equal(1, test.PValue);
    }

    [Fact]
    public void Rejects_HighErrorRatesAlikeUnderManySplits_FalseAbortsStayUnderAlpha()
    {
        // 40% errors on both sides: where the note's binomial approximation breaks, the exact conditional law holds.
        var random = new Random(9);
        var rejected = 0;
        for (var rollout = 0; rollout < 400; rollout++)
        {
            var test = new ErrorRateTest();
            for (var look = 0; look < 200 && !test.Rejects(0.05); look++)
            {
                var nc = random.Next(1, 60);
                var ns = random.Next(1, 200);
                test.Add(nc, Binomial(random, nc, 0.4), ns, Binomial(random, ns, 0.4));
            }

            rejected += test.Rejects(0.05) ? 1 : 0;
        }

        Assert.InRange(rejected / 400.0, 0, 0.05);
    }

    [Fact]
    public void Rejects_CanaryFailingTenTimesMoreAtHighRates_Rejects()
    {
        var random = new Random(3);
        var test = new ErrorRateTest();
        var looks = 0;
        while (!test.Rejects(0.05) && looks++ < 100)
        {
            test.Add(20, Binomial(random, 20, 0.9), 180, Binomial(random, 180, 0.3));
        }

        Assert.True(test.Rejects(0.05), $"no rejection after {looks} looks (p = {test.PValue})");
    }

    private static int Binomial(Random random, int n, double p) => Enumerable.Range(0, n).Count(_ => random.NextDouble() < p);

    private static double Probability((int Nc, int Kc, int Ns, int Ks) i, double psi)
    {
        var k = i.Kc + i.Ks;
        double Term(int x) => (double)(Choose(i.Nc, x) * Choose(i.Ns, k - x)) * Math.Pow(psi, x);
        var all = Enumerable.Range(0, k + 1).Where(x => x <= i.Nc && k - x <= i.Ns).Sum(Term);
        return Term(i.Kc) / all;
    }

    private static BigInteger Choose(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
