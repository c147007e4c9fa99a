using System.Globalization;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// The flag-ramp strategy (docs/flags.md, ADR 0030): the flag is checked first; the release is deployed dark, as rolling
/// deploys it, the flag untouched (or, when that version serves already, nothing is deployed); then each step of
/// <c>strategy.flag.steps</c> runs in order: <c>percent</c> raises the flag's rollout, pause, analysis and approval wait
/// as a canary's do, judged on the release's answers with the flag on against those with it off. A failure turns the
/// flag off at once (or, with <c>on-failure: freeze</c>, holds it until a person decides); the release keeps serving.
/// </summary>
public sealed partial class RolloutRunner
{
    private sealed partial class Run
    {
        private readonly FlagRampStrategy? _ramp = request.EffectiveStrategy as FlagRampStrategy;
        private string? _control;
        private bool _flagOn;

        /// <summary>What the analysis compares: the canary with stable, or the ramped flag's sides in the release that serves.</summary>
        private CanarySubject Subject() => _ramp is null
            ? new CanarySubject(_environment, _service, _previous!, _version)
            : new CanarySubject(_environment, _service, _version, _version) { Flag = new FlagSubject(_ramp.Key, _control!) };

        private async Task<RolloutResult> RampAsync(FlagRampStrategy ramp, CancellationToken cancellationToken)
        {
            request.Log($"Deploying {_service} {_version} to {_environment} dark, then ramping the flag {ramp.Key}.");
            var failure = await StepAsync("check-flag", CheckFlagAsync, cancellationToken).ConfigureAwait(false)
                ?? await StepAsync("declare-service", DeclareServiceAsync, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return await ResultAsync(RolloutStatus.Failed, failure, null, cancellationToken).ConfigureAwait(false);
            }

            if (await ServesAlreadyAsync(cancellationToken).ConfigureAwait(false) is { } serving)
            {
                await StepAsync("deploy", _ => Task.FromResult<(string?, string)>((null, $"skipped: {serving}")), cancellationToken).ConfigureAwait(false);
                _previous = null;
            }
            else
            {
                failure = await StepAsync("upload-artifact", UploadAsync, cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("stop-stale", StopStaleAsync, cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("start-release", StartReleaseAsync, cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("wait-healthy", WaitHealthyAsync, cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("smoke-before", ct => SmokeAsync(before: true, ct), cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("shift-traffic", ShiftAsync, cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("smoke-after", ct => SmokeAsync(before: false, ct), cancellationToken).ConfigureAwait(false)
                    ?? await StepAsync("watch", WatchAsync, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    // The flag was not touched: the deployment fails as a rolling one does.
                    return await FailAsync(failure, cancellationToken).ConfigureAwait(false);
                }

                if (_previous is not null)
                {
                    await StepAsync("stop-previous", StopPreviousAsync, cancellationToken).ConfigureAwait(false);
                }
            }

            for (var i = 0; i < ramp.Steps.Count && !_full && failure is null; i++)
            {
                var step = ramp.Steps[i];
                (_stepNumber, _stepKind) = (i + 1, step.Kind);
                await ReportAsync(cancellationToken).ConfigureAwait(false);
                failure = await StepAsync($"step-{i + 1}-{step.Kind}", ct => RampStepAsync(step, ct), cancellationToken).ConfigureAwait(false);
            }

            if (failure is null && _full && _permille < 1000)
            {
                failure = await StepAsync("promote-full", ct => PercentAsync(100, ct), cancellationToken).ConfigureAwait(false);
            }

            if (failure is not null)
            {
                return await FlagOffAsync(ramp, failure, cancellationToken).ConfigureAwait(false);
            }

            (_stepNumber, _stepKind) = (ramp.Steps.Count + 1, "done");
            await ReportAsync(cancellationToken).ConfigureAwait(false);
            request.Log($"Ramped {ramp.Key} to {Percent(_permille)} in {_environment}; {_service} {_version} serves.");
            return await ResultAsync(RolloutStatus.Succeeded, null, null, cancellationToken).ConfigureAwait(false);
        }

        private Task<(string?, string)> RampStepAsync(CanaryStep step, CancellationToken cancellationToken) => step switch
        {
            FlagPercentStep percent => PercentAsync(percent.Percent, cancellationToken),
            CanaryPauseStep pause => HoldAsync(pause.Duration, null, null, cancellationToken),
            CanaryAnalysisStep analysis => HoldAsync(null, analysis, null, cancellationToken),
            CanaryApprovalStep approval => ApprovalAsync(approval, cancellationToken),
            _ => Task.FromResult<(string?, string)>(($"The flag ramp step '{step.Kind}' is not known to this server.", "")),
        };

        /// <summary>The flag exists, and what it serves now: the control variant and, when on, its rollout percentage.</summary>
        private async Task<(string?, string)> CheckFlagAsync(CancellationToken cancellationToken)
        {
            if (request.Flags is not { } flags)
            {
                return ($"The flag strategy changes {_environment}'s flag {_ramp!.Key}, and flags live on a server: deploy through 'shipgate up'.", "");
            }

            if (await flags.ReadAsync(_ramp!.Key, cancellationToken).ConfigureAwait(false) is not { } state)
            {
                return ($"{_environment} has no flag '{_ramp.Key}' to ramp: declare it under 'flags:' in {ShipgateConfig.FileName} or create it with 'shipgate flag create'.", "");
            }

            _control = state.ControlVariant;
            _flagOn = state.Enabled;
            _permille = state.Enabled ? (int)Math.Round((state.Percent ?? 0) * 10) : 0;
            return (null, state.Enabled
                ? $"{_ramp.Key} is on for {Percent(_permille)} (its rollout); users outside it get {_control}"
                : $"{_ramp.Key} is off; users outside its rollout will get {_control}");
        }

        /// <summary>Why nothing is deployed: the version serves all traffic already, healthy; null when it does not.</summary>
        private async Task<string?> ServesAlreadyAsync(CancellationToken cancellationToken)
        {
            var status = await Edge.GetServiceAsync(_environment, _service, cancellationToken).ConfigureAwait(false);
            return status?.Releases.FirstOrDefault(r => r.Version == _version) is { } release
                && status.Routing?.Weights.GetValueOrDefault(_version) == 1000 && IsHealthy(release)
                ? $"{_version} serves all of {_service}'s traffic already, so only the flag changes"
                : null;
        }

        /// <summary>Turns the flag on at <paramref name="percent"/>; a step below what it serves already is skipped, since a ramp never takes a feature away.</summary>
        private async Task<(string?, string)> PercentAsync(double percent, CancellationToken cancellationToken)
        {
            var permille = (int)Math.Round(percent * 10);
            if (_flagOn && permille <= _permille)
            {
                BeginFlagJudgement();
                return (null, $"skipped: {_ramp!.Key} is on for {Percent(_permille)} already");
            }

            var reason = string.Create(CultureInfo.InvariantCulture, $"Step {_stepNumber} of the flag ramp of {_service} {_version} in {_environment}: {Percent(permille)}.");
            if (await request.Flags!.SetPercentAsync(_ramp!.Key, percent, reason, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return ($"The flag {_ramp.Key} could not be set to {Percent(permille)}: {refused}", "");
            }

            (_flagOn, _permille) = (true, permille);
            BeginFlagJudgement();
            await ReportAsync(cancellationToken).ConfigureAwait(false);
            return (null, $"{_ramp.Key} on for {Percent(permille)} of users; the rest get {_control}");
        }

        /// <summary>The judgement starts when users first get the flag on, and runs across every later step.</summary>
        private void BeginFlagJudgement()
        {
            if (_judgement is null && _flagOn && _permille > 0)
            {
                _judgement = owner._analyst.Begin(Subject(), _judged!, request.Commands);
            }
        }

        /// <summary>
        /// After a failed ramp step: the flag off at once (every user gets its off variant), the release left serving; with
        /// <c>rollback: manual</c> (unless aborted) the flag is left as it is.
        /// </summary>
        private async Task<RolloutResult> FlagOffAsync(FlagRampStrategy ramp, string failure, CancellationToken cancellationToken)
        {
            if (request.Environment.Rollback == RollbackMode.Manual && _abort is null)
            {
                request.Log($"Rollback is manual: {ramp.Key} is left as it is; 'shipgate flag disable {ramp.Key} --env {_environment}' turns it off.");
                return await ResultAsync(RolloutStatus.Failed, failure, null, cancellationToken).ConfigureAwait(false);
            }

            var off = await StepAsync("flag-off", async ct =>
            {
                var refused = await request.Flags!.TurnOffAsync(ramp.Key, $"The flag ramp of {_service} {_version} in {_environment} failed: {failure}", ct).ConfigureAwait(false);
                return refused is null
                    ? (null, $"{ramp.Key} turned off: every user gets its off variant; {_version} keeps serving")
                    : ($"The flag {ramp.Key} could not be turned off: {refused}", "");
            }, cancellationToken).ConfigureAwait(false);
            if (off is not null)
            {
                return await ResultAsync(RolloutStatus.Failed, $"{failure} {off}", null, cancellationToken).ConfigureAwait(false);
            }

            (_flagOn, _permille) = (false, 0);
            await ReportAsync(cancellationToken).ConfigureAwait(false);
            return await ResultAsync(RolloutStatus.RolledBack, $"{failure} The flag {ramp.Key} was turned off.", null, cancellationToken).ConfigureAwait(false);
        }
    }
}
