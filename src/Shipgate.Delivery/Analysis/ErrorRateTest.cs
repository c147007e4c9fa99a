namespace Shipgate.Delivery.Analysis;

/// <summary>
/// The anytime-valid error-rate test (ADR 0020): a mixture of likelihood ratios, one per odds ratio ψ of a one-sided
/// grid, of the canary's share of each interval's errors given the interval's counts, after Lindon &amp; Malek
/// ("Anytime-Valid Inference for Multinomial Count Data", NeurIPS 2022). Per interval the law of the canary's errors
/// given both releases' answered requests and the total errors is Fisher's noncentral hypergeometric with odds ratio
/// ψ (the central one when both releases fail alike), whatever the error rate and the split, so the mixture is a
/// nonnegative martingale with mean 1 under the null and, by Ville's inequality, reaches 1/α with probability at most
/// α however often it is looked at. Each interval costs O(errors × grid); nothing of the past is kept but the sums.
/// </summary>
internal sealed class ErrorRateTest
{
    /// <summary>The default grid: 30 odds ratios, log-spaced from 1.25 to 50, equal prior weights.</summary>
    internal static readonly double[] DefaultRatios = LogSpaced(1.25, 50, 30);

    private readonly double[] _logRatios;
    private readonly double[] _logLikelihoods;
    private readonly double _logWeight;
    private double[] _terms = new double[16];

    public ErrorRateTest()
        : this(DefaultRatios)
    {
    }

    /// <summary>A test over the odds ratios <paramref name="ratios"/> (each above 1), with equal weights.</summary>
    public ErrorRateTest(IReadOnlyList<double> ratios)
    {
        if (ratios.Count == 0 || ratios.Any(r => !(r > 1) || double.IsInfinity(r)))
        {
            throw new ArgumentException("The grid needs odds ratios above 1.", nameof(ratios));
        }

        _logRatios = [.. ratios.Select(r => Math.Log(r))];
        _logLikelihoods = new double[ratios.Count];
        _logWeight = -Math.Log(ratios.Count);
    }

    /// <summary>log M_t: the mixture's log at the last interval (0 before any).</summary>
    public double LogMixture { get; private set; }

    /// <summary>The largest log M_s so far, s ≤ t.</summary>
    public double LogMaxMixture { get; private set; }

    /// <summary>The anytime-valid p-value, min(1, 1 / max M).</summary>
    public double PValue => Math.Min(1, Math.Exp(-LogMaxMixture));

    /// <summary>The odds ratio of the grid whose likelihood ratio is largest now: the data's best guess within the grid.</summary>
    public double LeadingRatio => Math.Exp(_logRatios[Array.IndexOf(_logLikelihoods, _logLikelihoods.Max())]);

    /// <summary>True once the mixture has reached 1/<paramref name="alpha"/>.</summary>
    public bool Rejects(double alpha) => LogMaxMixture >= -Math.Log(alpha);

    /// <summary>
    /// Adds one interval: each release's answered requests and errors in it. An interval without errors, or without
    /// requests on either side, tells nothing about the ratio and changes nothing.
    /// </summary>
    public void Add(long canaryRequests, long canaryErrors, long stableRequests, long stableErrors)
    {
        if (canaryErrors < 0 || stableErrors < 0 || canaryErrors > canaryRequests || stableErrors > stableRequests)
        {
            throw new ArgumentException("Errors must be from 0 to the requests of their release.");
        }

        var errors = canaryErrors + stableErrors;
        var low = Math.Max(0, errors - stableRequests);
        var high = Math.Min(errors, canaryRequests);
        if (high == low)
        {
            return;
        }

        // The central hypergeometric weights of x canary errors out of `errors`, unnormalised (the normaliser cancels
        // in the ratio): w(x+1)/w(x) = (nc − x)(K − x) / ((x + 1)(ns − K + x + 1)).
        var count = (int)(high - low + 1);
        if (_terms.Length < count)
        {
            _terms = new double[Math.Max(count, _terms.Length * 2)];
        }

        var logWeights = _terms.AsSpan(0, count);
        logWeights[0] = 0;
        for (var i = 1; i < count; i++)
        {
            var x = (double)(low + i - 1);
            logWeights[i] = logWeights[i - 1] + Math.Log((canaryRequests - x) * (errors - x)) - Math.Log((x + 1) * (stableRequests - errors + x + 1));
        }

        var logNull = LogSumExp(logWeights, 0, low);
        for (var j = 0; j < _logRatios.Length; j++)
        {
            var logRatio = _logRatios[j];
            _logLikelihoods[j] += (canaryErrors * logRatio) + logNull - LogSumExp(logWeights, logRatio, low);
        }

        LogMixture = LogSumExp(_logLikelihoods, 0, 0) + _logWeight;
        LogMaxMixture = Math.Max(LogMaxMixture, LogMixture);
    }

    /// <summary>log Σ_i exp(values[i] + (offset + i) · slope), without overflow.</summary>
    private static double LogSumExp(ReadOnlySpan<double> values, double slope, long offset)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < values.Length; i++)
        {
            max = Math.Max(max, values[i] + ((offset + i) * slope));
        }

        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i] + ((offset + i) * slope) - max);
        }

        return max + Math.Log(sum);
    }

    internal static double[] LogSpaced(double from, double to, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Math.Exp(Math.Log(from) + ((Math.Log(to) - Math.Log(from)) * i / (count - 1))))];
}
