using Shipgate.Core.Workflows;

namespace Shipgate.Core.Validation;

/// <summary>Finds each cycle of the <c>needs</c> graph once, and reports it by name: "a -> b -> a".</summary>
internal sealed class NeedsCycleFinder(IReadOnlyDictionary<string, JobDefinition> jobs, WorkflowValidator validator)
{
    /// <summary>False while a job is on the current path, true once all it needs is explored.</summary>
    private readonly Dictionary<string, bool> _finished = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);

    public void Run(IEnumerable<JobDefinition> inFileOrder)
    {
        foreach (var job in inFileOrder)
        {
            if (!_finished.ContainsKey(job.Id))
            {
                Visit(job);
            }
        }
    }

    // Depth-first with an explicit stack: a chain of thousands of jobs must not overflow the call stack.
    private void Visit(JobDefinition root)
    {
        var path = new List<(JobDefinition Job, int NextNeed)> { (root, 0) };
        _finished[root.Id] = false;
        while (path.Count > 0)
        {
            var (job, next) = path[^1];
            if (next >= job.NeedsTokens.Count)
            {
                _finished[job.Id] = true;
                path.RemoveAt(path.Count - 1);
                continue;
            }

            path[^1] = (job, next + 1);
            var need = job.NeedsTokens[next];
            if (!jobs.TryGetValue(need.Value, out var needed))
            {
                continue;
            }

            if (!_finished.TryGetValue(needed.Id, out var finished))
            {
                _finished[needed.Id] = false;
                path.Add((needed, 0));
            }
            else if (!finished)
            {
                var start = path.FindIndex(p => ReferenceEquals(p.Job, needed));
                var cycle = path.Skip(start).Select(p => p.Job.Id).Append(needed.Id).ToList();
                var key = string.Join(',', cycle.Skip(1).Order(StringComparer.OrdinalIgnoreCase));
                if (_reported.Add(key))
                {
                    validator.Error(need.Location, $"needs form a cycle: {string.Join(" -> ", cycle)}");
                }
            }
        }
    }
}
