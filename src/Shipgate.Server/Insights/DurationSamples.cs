using Shipgate.Server.Api;

namespace Shipgate.Server.Insights;

/// <summary>Durations gathered for one measure; summarised as their median and 90th percentile.</summary>
internal sealed class DurationSamples
{
    private readonly List<double> _seconds = [];

    public int Count => _seconds.Count;

    public void Add(TimeSpan duration) => _seconds.Add(Math.Max(0, duration.TotalSeconds));

    /// <summary>The median and p90, or null when there is no sample (never a made-up zero).</summary>
    public DurationStatsResponse? Summary()
    {
        if (_seconds.Count == 0)
        {
            return null;
        }

        _seconds.Sort();
        return new DurationStatsResponse(Percentile(0.5), Percentile(0.9), _seconds.Count);
    }

    // Linear interpolation between the closest ranks (Hyndman and Fan's type 7: numpy's and Excel PERCENTILE.INC's
    // default), so the median of an even count is the mean of the middle two.
    private double Percentile(double q)
    {
        var rank = (_seconds.Count - 1) * q;
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, _seconds.Count - 1);
        return Math.Round(_seconds[below] + ((rank - below) * (_seconds[above] - _seconds[below])), 3);
    }
}
