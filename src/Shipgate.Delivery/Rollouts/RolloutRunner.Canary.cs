using System.Globalization;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// The canary strategy (docs/progressive-delivery.md, ADR 0021): after the shared start (declare, upload, start beside
/// stable with one instance, wait healthy, smoke pinned) each step of <c>strategy.canary.steps</c> runs in order; while
/// a step waits (pause, analysis, approval, mirror) the runner looks at the analysis, the canary's health and the verbs
/// every <see cref="RolloutRequest.LookInterval"/>. After the last step the canary is scaled to full and takes all
/// traffic through the shared end (shift, smoke, watch, stop stable). A failure puts all traffic back on stable in one
/// routing call before anything else (or, with <c>on-failure: freeze</c>, holds the split until a person decides).
/// </summary>
public sealed partial class RolloutRunner
{
    private sealed partial class Run
    {
        private readonly List<EdgeHeaderRoute> _headerRoutes = [];
        private ICanaryJudgement? _judgement;
        private AnalysisDecision? _lastDecision;
        private EdgeServiceStatus? _lastStatus;
        private EdgeMetricsSnapshot? _firstMetrics;
        private EdgeMetricsSnapshot? _lastMetrics;
        private IReadOnlyList<ReleaseTraffic> _traffic = [];
        private EdgeMirrorSpec? _mirror;
        private (ShadowComparison Compare, EdgeMirrorComparison? Before)? _shadowPhase;
        private ShadowReport? _shadow;
        private RolloutCommand? _abort;
        private int _permille;
        private int _stepNumber;
        private string _stepKind = "start";
        private string? _waitingFor;
        private string? _frozen;
        private string? _held;
        private bool _full;

        private readonly CanaryStrategy? _canary = request.EffectiveStrategy.AsCanary;

        /// <summary>What the looks judge by: a canary's (or shadow's) steps and guardrails, or a flag ramp's.</summary>
        private readonly CanaryStrategy? _judged = request.EffectiveStrategy.AsCanary ?? (request.EffectiveStrategy as FlagRampStrategy)?.Judged;

        /// <summary>The steps of a canary, or a shadow's one phase; null for rolling and blue-green.</summary>
        private CanaryStrategy? Canary => _canary;

        /// <summary>The canary's instances at <paramref name="permille"/>: its share of the service's, at least one.</summary>
        private int CanaryInstances(int permille) => Math.Max(1, (int)Math.Ceiling(request.Service.Instances * permille / 1000.0));

        /// <summary>Runs the canary's steps; null (nothing to do) for the other strategies.</summary>
        private async Task<string?> CanaryStepsAsync(CancellationToken cancellationToken)
        {
            if (Canary is not { } canary)
            {
                return null;
            }

            if (_previous is null)
            {
                const string FirstDeployment = "skipped: nothing serves yet, so the first release takes all traffic at once";
                return await StepAsync("canary-steps", _ => Task.FromResult<(string?, string)>((null, FirstDeployment)), cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < canary.Steps.Count && !_full; i++)
            {
                var step = canary.Steps[i];
                (_stepNumber, _stepKind) = (i + 1, step.Kind);
                await ReportAsync(cancellationToken).ConfigureAwait(false);
                var failure = await StepAsync($"step-{i + 1}-{step.Kind}", ct => CanaryStepAsync(step, ct), cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }
            }

            (_stepNumber, _stepKind) = (canary.Steps.Count + 1, "promote");
            await ReportAsync(cancellationToken).ConfigureAwait(false);
            return await StepAsync("scale-canary", ScaleAsync(request.Service.Instances), cancellationToken).ConfigureAwait(false);
        }

        private Task<(string?, string)> CanaryStepAsync(CanaryStep step, CancellationToken cancellationToken) => step switch
        {
            CanaryWeightStep weight => WeightAsync((int)Math.Round(weight.Weight * 10), cancellationToken),
            CanaryHeaderRouteStep route => HeaderRouteAsync(route, cancellationToken),
            CanaryMirrorStep mirror => MirrorAsync(mirror, cancellationToken),
            CanaryPauseStep pause => HoldAsync(pause.Duration, null, null, cancellationToken),
            CanaryAnalysisStep analysis => HoldAsync(null, analysis, null, cancellationToken),
            CanaryApprovalStep approval => ApprovalAsync(approval, cancellationToken),
            _ => Task.FromResult<(string?, string)>(($"The canary step '{step.Kind}' is not known to this server.", "")),
        };

        private async Task<(string?, string)> WeightAsync(int permille, CancellationToken cancellationToken)
        {
            var (failure, scaled) = await ScaleAsync(CanaryInstances(permille))(cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (failure, "");
            }

            if ((failure = await ApplyRoutingAsync(permille, cancellationToken).ConfigureAwait(false)) is not null)
            {
                return (failure, "");
            }

            return (null, $"{Percent(permille)} to {_version} ({scaled}); {_previous} keeps {Percent(1000 - permille)}");
        }

        private async Task<(string?, string)> HeaderRouteAsync(CanaryHeaderRouteStep step, CancellationToken cancellationToken)
        {
            _headerRoutes.Add(new EdgeHeaderRoute(step.Name, step.Value, _version));
            var failure = await ApplyRoutingAsync(_permille, cancellationToken).ConfigureAwait(false);
            return (failure, $"requests with {step.Name}: {step.Value} go to {_version}");
        }

        /// <summary>
        /// A shadow phase: a copy of a share of requests goes to the canary (scaled to that share) for the duration;
        /// users get stable's answers. With a comparison, the edge compares each copy's answer with stable's, and the
        /// phase fails at any look where enough pairs were compared and too many differed; too few at the end is
        /// inconclusive, decided by its on-inconclusive.
        /// </summary>
        private async Task<(string?, string)> MirrorAsync(CanaryMirrorStep step, CancellationToken cancellationToken)
        {
            var share = (int)Math.Round(step.Percent * 10);
            var (failure, _) = await ScaleAsync(CanaryInstances(share))(cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (failure, "");
            }

            var before = await MirroredAsync(cancellationToken).ConfigureAwait(false);
            _mirror = new EdgeMirrorSpec { Version = _version, Permille = share, Compare = step.Compare is { } c ? ToEdge(c) : null };
            if (step.Compare is { } compare)
            {
                _shadowPhase = (compare, before?.Comparison);
                _shadow = ShadowReport.Between(compare, before?.Comparison, before?.Comparison);
            }

            if ((failure = await ApplyRoutingAsync(_permille, cancellationToken).ConfigureAwait(false)) is not null)
            {
                return (failure, "");
            }

            var (held, note) = await HoldAsync(step.Duration, null, null, cancellationToken).ConfigureAwait(false);
            if (held is null && _shadow is { } report && step.Compare is { } rules && report.Compared < rules.MinRequests)
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"{report.Compared} answer(s) were compared in {DurationText.Format(step.Duration)}, fewer than min-requests {rules.MinRequests}");
                switch (rules.OnInconclusive)
                {
                    case InconclusivePolicy.Fail:
                        return ($"The shadow phase was inconclusive and its on-inconclusive is fail: {reason}.", "");
                    case InconclusivePolicy.Promote:
                        note = $"inconclusive, promoted by its on-inconclusive: {reason}";
                        break;
                    default:
                        _waitingFor = $"promote (the shadow phase was inconclusive: {reason})";
                        request.Log($"The shadow phase was inconclusive ({reason}); it goes on mirroring: 'shipgate promote' goes on, 'shipgate abort' rolls back.");
                        (held, note) = await HoldAsync(null, null, null, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            if (held is not null)
            {
                return (held, "");
            }

            var after = await MirroredAsync(cancellationToken).ConfigureAwait(false);
            (_mirror, _shadowPhase) = (null, null);
            if ((failure = await ApplyRoutingAsync(_permille, cancellationToken).ConfigureAwait(false)) is not null)
            {
                return (failure, "");
            }

            var requests = (after?.Requests ?? 0) - (before?.Requests ?? 0);
            var errors = Errors(after) - Errors(before);
            var compared = step.Compare is null ? "" : $"; {_shadow!.Summary()}";
            return (null, string.Create(
                CultureInfo.InvariantCulture,
                $"mirrored {Percent(share)} for {DurationText.Format(step.Duration)}: {requests} request(s), {errors} error(s) (5xx, no answer, timeout){compared}{(note is "done" or "" || note.StartsWith("waited", StringComparison.Ordinal) ? "" : $"; {note}")}"));
        }

        private static long Errors(EdgeReleaseMetrics? m) => m is null ? 0 : m.Status5xx + m.TransportErrors + m.Timeouts;

        private static EdgeMirrorCompare ToEdge(ShadowComparison compare) => new()
        {
            Status = compare.Status,
            LatencyRatio = compare.LatencyRatio,
            BodyPaths = compare.BodyPaths,
            IgnoreFields = compare.IgnoreFields,
        };

        /// <summary>The canary's mirrored counters (copies only), with the edge's comparison when the mirror compares.</summary>
        private async Task<EdgeReleaseMetrics?> MirroredAsync(CancellationToken cancellationToken) =>
            Mirrored(await Edge.GetMetricsAsync(cancellationToken).ConfigureAwait(false));

        private EdgeReleaseMetrics? Mirrored(EdgeMetricsSnapshot snapshot) =>
            snapshot.Releases.FirstOrDefault(r => r.Mirrored && r.Environment == _environment && r.Service == _service && r.Version == _version);

        /// <summary>Held back at a look: the shadow phase compared enough pairs and too many differed.</summary>
        private string? ShadowVerdict() =>
            _shadowPhase is not null && _shadow is { OverLimit: true } report
                ? $"Held back: {report.Summary()}."
                    + (report.Examples.Count > 0 ? $" For example {ShadowReport.Describe(report.Examples[^1])}." : "")
                : null;

        /// <summary>In delivery mode people confirm the next increase by the step's (or the environment's) approval rules; deployment mode skips it.</summary>
        private async Task<(string?, string)> ApprovalAsync(CanaryApprovalStep step, CancellationToken cancellationToken)
        {
            if (request.Environment.Mode == EnvironmentMode.Deployment)
            {
                return (null, $"skipped: {_environment} is in mode deployment, so the automated gates decide and no one is asked");
            }

            if ((step.Approval ?? request.Environment.Approval) is not { } rules || request.Approve is not { } approve)
            {
                return ("This approval step needs a server to ask its reviewers; deploy through 'shipgate up', or remove the step.", "");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var approval = approve(rules, _stepNumber, stop.Token);
            try
            {
                return await HoldAsync(null, null, approval, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Waits for the step: a duration, an analysis's verdict, an approval, or (none of them: <c>pause: {}</c>) a
        /// promote; meanwhile looks at the analysis (guardrails between analysis steps), the canary's health and its
        /// smoke checks, and takes verbs.
        /// </summary>
        private async Task<(string?, string)> HoldAsync(
            TimeSpan? duration, CanaryAnalysisStep? analysis, Task<(bool Approved, string Reason)>? approval, CancellationToken cancellationToken)
        {
            var end = duration is { } d ? Time.GetUtcNow() + d : (DateTimeOffset?)null;
            var note = duration is { } forAs ? $"waited {DurationText.Format(forAs)}" : "";
            if (duration is null && analysis is null && approval is null)
            {
                _waitingFor ??= "promote (pause)";
            }

            var nextSmoke = Time.GetUtcNow() + WatchSmokeInterval;
            while (true)
            {
                string? failure = null;
                if (_judgement is not null || analysis is not null)
                {
                    _judgement ??= owner._analyst.Begin(Subject(), _judged!, request.Commands);
                    var decision = _lastDecision = await _judgement.LookAsync(analysis, cancellationToken).ConfigureAwait(false);
                    if (decision.Outcome != AnalysisOutcome.Continue && request.Control is { } control)
                    {
                        await control.RecordAsync(_stepNumber, decision, cancellationToken).ConfigureAwait(false);
                    }

                    switch (decision.Outcome)
                    {
                        case AnalysisOutcome.Failed:
                            failure = $"The analysis failed: {decision.Reason}";
                            break;
                        case AnalysisOutcome.Passed when analysis is not null:
                            (analysis, note) = (null, $"passed: {decision.Reason}");
                            break;
                        case AnalysisOutcome.Inconclusive when analysis is { OnInconclusive: InconclusivePolicy.Fail }:
                            failure = $"The analysis of step {_stepNumber} was inconclusive and its on-inconclusive is fail: {decision.Reason}";
                            break;
                        case AnalysisOutcome.Inconclusive when analysis is { OnInconclusive: InconclusivePolicy.Promote }:
                            (analysis, note) = (null, $"inconclusive, promoted by its on-inconclusive: {decision.Reason}");
                            break;
                        case AnalysisOutcome.Inconclusive when analysis is not null:
                            (analysis, note) = (null, $"inconclusive: {decision.Reason}");
                            _waitingFor = $"promote (the analysis was inconclusive: {decision.Reason})";
                            request.Log($"The analysis of step {_stepNumber} was inconclusive ({decision.Reason}); "
                                + "'shipgate promote' goes on, 'shipgate abort' rolls back.");
                            break;
                    }
                }

                failure ??= await CanaryHealthAsync(cancellationToken).ConfigureAwait(false);
                await MeasureAsync(cancellationToken).ConfigureAwait(false);
                failure ??= ShadowVerdict();
                var now = Time.GetUtcNow();
                if (failure is null && now >= nextSmoke)
                {
                    (failure, _) = await SmokeAsync(before: false, cancellationToken).ConfigureAwait(false);
                    nextSmoke = now + WatchSmokeInterval;
                }

                if (approval is { IsCompleted: true })
                {
                    var (approved, reason) = await approval.ConfigureAwait(false);
                    if (!approved)
                    {
                        return ($"The approval of step {_stepNumber} was not given: {reason}", "");
                    }

                    (approval, note) = (null, reason);
                }

                if (failure is not null && _frozen is null)
                {
                    if (_judged!.OnFailure == CanaryFailureAction.Rollback)
                    {
                        // The record keeps what the failing look saw (a shadow's mismatches, the traffic).
                        await ReportAsync(cancellationToken).ConfigureAwait(false);
                        return (failure, "");
                    }

                    _frozen = failure;
                    request.Log($"{failure} on-failure is freeze: {(_ramp is null ? "the split" : $"the flag {_ramp.Key}")} is held as it is until 'shipgate promote' goes on or 'shipgate abort' rolls back.");
                }

                var waiting = _frozen is not null ? $"promote or abort (frozen: {_frozen})" : _held ?? _waitingFor;
                if (waiting is null && analysis is null && approval is null && (end is null || now >= end))
                {
                    await ReportAsync(cancellationToken).ConfigureAwait(false);
                    return (null, note.Length > 0 ? note : "done");
                }

                if (waiting is not null && request.Control is null)
                {
                    return ($"The canary waits for {waiting}, which needs a server: deploy through 'shipgate up'.", "");
                }

                await ReportAsync(cancellationToken).ConfigureAwait(false);
                var command = await WaitAsync(analysis?.Interval ?? request.LookInterval, cancellationToken).ConfigureAwait(false);
                switch (command)
                {
                    case { Verb: RolloutVerb.Abort }:
                        _abort = command;
                        return ($"Aborted by {command.Actor}.", "");
                    case { Verb: RolloutVerb.Pause }:
                        _held = $"resume (paused by {command.Actor})";
                        request.Log($"Paused by {command.Actor}.");
                        break;
                    case { Verb: RolloutVerb.Resume }:
                        _held = null;
                        request.Log($"Resumed by {command.Actor}.");
                        break;
                    case { Verb: RolloutVerb.Promote or RolloutVerb.PromoteFull } when approval is not null:
                        _full |= command.Verb == RolloutVerb.PromoteFull;
                        request.Log($"{command.Actor} promoted, but a promote does not decide an approval step: its reviewers approve it ('shipgate approve').");
                        break;
                    case { Verb: RolloutVerb.Promote or RolloutVerb.PromoteFull }:
                        _full |= command.Verb == RolloutVerb.PromoteFull;
                        (_frozen, _held, _waitingFor) = (null, null, null);
                        return (null, _full ? $"promoted to 100% by {command.Actor}" : $"promoted by {command.Actor}");
                }
            }
        }

        /// <summary>Stable's and the canary's traffic since the canary began, for the live view.</summary>
        private async Task MeasureAsync(CancellationToken cancellationToken)
        {
            var now = await Edge.GetMetricsAsync(cancellationToken).ConfigureAwait(false);
            var (first, previous) = (_firstMetrics ??= now, _lastMetrics ?? now);
            _lastMetrics = now;
            if (_shadowPhase is { } phase)
            {
                _shadow = ShadowReport.Between(phase.Compare, phase.Before, Mirrored(now)?.Comparison);
            }

            if (_ramp is not null)
            {
                var subject = Subject();
                _traffic =
                [
                    ReleaseTraffic.OfFlag(first, previous, now, subject, on: false, 1000 - _permille),
                    ReleaseTraffic.OfFlag(first, previous, now, subject, on: true, _permille),
                ];
                return;
            }

            _traffic =
            [
                ReleaseTraffic.Between(first, previous, now, _environment, _service, _previous!, "stable", 1000 - _permille),
                ReleaseTraffic.Between(first, previous, now, _environment, _service, _version, "canary", _permille),
            ];
        }

        /// <summary>The canary's health at a look: gone, crash-looping or without a healthy instance is a failure.</summary>
        private async Task<string?> CanaryHealthAsync(CancellationToken cancellationToken)
        {
            _lastStatus = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            var release = _lastStatus?.Releases.FirstOrDefault(r => r.Version == _version);
            return release switch
            {
                null => $"Release {_version} is gone from the edge.",
                { CrashLooping: true } => $"Release {_version} is crash-looping.",
                _ when !release.InstanceStatuses.Any(i => i.State == EdgeInstanceState.Healthy) => $"Release {_version} has no healthy instance.",
                _ => null,
            };
        }

        /// <summary>Declares the canary with <paramref name="instances"/> (never fewer than it has) and waits until they are healthy.</summary>
        private Func<CancellationToken, Task<(string?, string)>> ScaleAsync(int instances) => async cancellationToken =>
        {
            if (instances <= _instances)
            {
                return (null, $"{_instances} instance(s)");
            }

            _instances = instances;
            var (failure, message) = await StartReleaseAsync(cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                (failure, message) = await WaitHealthyAsync(cancellationToken).ConfigureAwait(false);
            }

            return (failure, failure is null ? $"{instances} instance(s) healthy" : message);
        };

        /// <summary>Sets the canary's split in one atomic routing change: its weight, stable the rest, the mirror and header routes.</summary>
        private async Task<string?> ApplyRoutingAsync(int permille, CancellationToken cancellationToken)
        {
            var status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                return $"The edge no longer knows {_service} in {_environment}.";
            }

            var routing = new EdgeRoutingSpec
            {
                Weights = status.Releases.ToDictionary(
                    r => r.Version, r => r.Version == _version ? permille : r.Version == _previous ? 1000 - permille : 0, StringComparer.Ordinal),
                Sticky = status.Routing?.Sticky,
                Mirror = _mirror,
                HeaderRoutes = [.. _headerRoutes],
            };
            try
            {
                _lastStatus = await Edge.SetRoutingAsync(_environment, _service, routing, cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex)
            {
                return $"The edge refused the canary's routing: {ex.Message}";
            }

            _permille = permille;
            // Live traffic moved (a mirror alone is not: users still get only stable's answers).
            _trafficMoved |= permille > 0 || _headerRoutes.Count > 0;
            if (_judgement is null && (permille > 0 || _headerRoutes.Count > 0))
            {
                // The judgement starts when the canary first gets live traffic, and runs across every later step.
                _judgement = owner._analyst.Begin(Subject(), _judged!, request.Commands);
            }

            await ReportAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        /// <summary>
        /// All traffic to the previous release in one routing call, from the status the last look read (no read first,
        /// so the edge serves only stable as soon as possible); a stale status (a release gone) is read again.
        /// </summary>
        private async Task RouteBackAsync(CancellationToken cancellationToken)
        {
            var status = _lastStatus ?? await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            try
            {
                await Edge.SetRoutingAsync(_environment, _service, Route(status!, _previous!), cancellationToken).ConfigureAwait(false);
            }
            catch (EdgeApiException ex) when (ex.StatusCode == 404 && _lastStatus is not null)
            {
                status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
                await Edge.SetRoutingAsync(_environment, _service, Route(status!, _previous!), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A verb, or null after <paramref name="delay"/>; without a control, a plain wait.</summary>
        private async Task<RolloutCommand?> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            if (request.Control is { } control)
            {
                return await control.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
            return null;
        }

        private Task ReportAsync(CancellationToken cancellationToken) =>
            request.Control is not { } control || _judged is not { } judged || (_previous is null && _ramp is null)
                ? Task.CompletedTask
                : control.ReportAsync(
                    new CanaryProgress
                    {
                        Step = _stepNumber,
                        Steps = judged.Steps.Count,
                        StepKind = _stepKind,
                        StableVersion = _ramp is null ? _previous! : _version,
                        CanaryVersion = _version,
                        Flag = _ramp?.Key,
                        CanaryPermille = _permille,
                        MirrorPermille = _mirror?.Permille ?? 0,
                        HeaderRoutes = [.. _headerRoutes.Select(h => $"{h.Name}: {h.Value}")],
                        WaitingFor = _frozen is not null ? $"promote or abort (frozen: {_frozen})" : _held ?? _waitingFor,
                        LastDecision = _lastDecision,
                        Shadow = _shadow,
                        Traffic = _traffic,
                        Mode = request.Environment.Mode == EnvironmentMode.Delivery ? "delivery" : "deployment",
                    },
                    cancellationToken);

        private static string Percent(int permille) => string.Create(CultureInfo.InvariantCulture, $"{permille / 10.0:0.#}%");
    }
}
