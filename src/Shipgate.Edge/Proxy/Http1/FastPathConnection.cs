using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.WebUtilities;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>
/// One client connection on the fast path: reads request heads, forwards each taken request to an instance, copies
/// the answer back with <c>X-Shipgate-Version</c> added, and records it. Retries and refusals follow
/// <see cref="EdgeForwarder"/>'s rules, so both paths answer alike.
/// </summary>
internal sealed class FastPathConnection
{
    private readonly Http1FastPath _owner;
    private readonly ConnectionContext _client;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly RequestHead _request = new();
    private readonly ResponseHead _response = new();
    private readonly ChunkedCopier _chunked = new();
    private readonly byte[] _clientAddress;
    private long _deadline;
    private ConnectionContext? _waitingOn;
    private readonly Socket? _socket;
    private volatile bool _timedOut;
    private volatile bool _closing;
    private volatile bool _clientGone;

    public FastPathConnection(Http1FastPath owner, ConnectionContext client)
    {
        _owner = owner;
        _client = client;
        _input = client.Transport.Input;
        _output = client.Transport.Output;
        _socket = client.Features.Get<IConnectionSocketFeature>()?.Socket;
        _clientAddress = client.RemoteEndPoint is IPEndPoint { Address: var address }
            ? Encoding.ASCII.GetBytes(address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString())
            : "unknown"u8.ToArray();
    }

    private enum Copy
    {
        Done,
        UpstreamBroke,
        Malformed,
        ClientGone,
    }

    /// <summary>
    /// Called by the heartbeat: closes what the current wait is bounded by once its deadline passed, and gives up on an
    /// instance's answer when the client that asked for it has gone (as YARP does when Kestrel notices the close).
    /// </summary>
    public void CheckDeadline(long now)
    {
        if (Volatile.Read(ref _waitingOn) is { } waited && ClientClosed())
        {
            _clientGone = true;
            waited.Abort();
            return;
        }

        var deadline = Volatile.Read(ref _deadline);
        if (deadline == 0 || now <= deadline)
        {
            return;
        }

        _timedOut = true;
        if (Volatile.Read(ref _waitingOn) is { } upstream)
        {
            upstream.Abort();
        }
        else
        {
            _client.Abort();
        }
    }

    /// <summary>Serves requests until the connection ends (true) or a request the fast path does not take comes (false: nothing of it consumed).</summary>
    public async Task<bool> RunAsync()
    {
        using var shutdown = _client.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested.Register(
            static state => ((FastPathConnection)state!).RequestClose(), this);
        try
        {
            while (true)
            {
                SetDeadline(_owner.Options.KeepAliveTimeout, null);
                var started = false;
                ReadResult result;
                ReadOnlySequence<byte> head;
                SequencePosition afterHead;
                while (true)
                {
                    result = await _input.ReadAsync();
                    var buffer = result.Buffer;
                    if (TryFindHead(buffer, out head, out afterHead))
                    {
                        break;
                    }

                    if (result.IsCompleted || (result.IsCanceled && buffer.IsEmpty) || (_closing && buffer.IsEmpty))
                    {
                        _input.AdvanceTo(buffer.End);
                        return true;
                    }

                    if (buffer.Length > RequestHead.MaxBytes)
                    {
                        _input.AdvanceTo(buffer.Start);
                        return false;
                    }

                    if (!started && !buffer.IsEmpty)
                    {
                        started = true;
                        SetDeadline(_owner.Options.RequestHeadersTimeout, null);
                    }

                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                var start = Stopwatch.GetTimestamp();
                if (!_request.TryParse(head) || _request.Host.Length > 255)
                {
                    _input.AdvanceTo(result.Buffer.Start);
                    return false;
                }

                var decision = Decide();
                if (decision.Refusal is { } refusal)
                {
                    if (!await RefuseBeforeForwardingAsync(decision.Status, refusal, decision.Release, result.Buffer, afterHead))
                    {
                        return true;
                    }

                    continue;
                }

                if (decision.Service.Mirror is not null)
                {
                    // Mirroring copies the request: Kestrel's path does it (RequestMirror), for this request and the rest.
                    decision.Release!.Endpoints[decision.Endpoint].InFlight.Decrement();
                    _input.AdvanceTo(result.Buffer.Start);
                    return false;
                }

                if (!await ForwardAsync(decision, result.Buffer, afterHead, start) || _request.Close || _closing)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or ObjectDisposedException)
        {
            // The client went away or the heartbeat closed it: the connection is over.
            return true;
        }
        finally
        {
            Volatile.Write(ref _deadline, 0);
        }
    }

    private Decision Decide()
    {
        Span<char> host = stackalloc char[_request.Host.Length];
        Ascii.ToUtf16(_request.Host, host, out _);
        return _owner.Chooser.Decide(host, _request);
    }

    // Kestrel's transport has read the client's end of stream (or the socket failed) while nothing was being read
    // from the client: the socket polls readable with nothing to read.
    private bool ClientClosed()
    {
        try
        {
            return _socket is { } socket && socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            return true;
        }
    }

    private void RequestClose()
    {
        _closing = true;
        _input.CancelPendingRead();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ForwardAsync(Decision decision, ReadOnlySequence<byte> buffer, SequencePosition afterHead, long start)
    {
        var release = decision.Release!;
        var counters = release.Counters;
        var index = decision.Endpoint;
        var tried = 1UL << index;
        var (resetRetried, staleRetried, consumed) = (false, false, false);
        var bodyLeft = _request.ContentLength;
        _timedOut = false;
        counters.Started();
        while (true)
        {
            var endpoint = release.Endpoints[index];
            var pool = _owner.PoolFor(endpoint);
            var upstream = pool.Rent();
            var reused = upstream is not null;
            ConnectionContext? answered = null;
            try
            {
                if (upstream is null)
                {
                    try
                    {
                        upstream = await pool.ConnectAsync(_owner.Options.ConnectTimeout);
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                        // Never reached the instance: another endpoint may take it, whatever the method.
                        if (release.Pick(tried) is var other and >= 0)
                        {
                            Log.Retrying(_owner.Logger, endpoint.InstanceId, release.Version, e.Message);
                            (index, tried) = (other, tried | (1UL << other));
                            release.Endpoints[index].InFlight.Increment();
                            continue;
                        }

                        return await FailAsync(release, start, timedOut: false, e.Message, buffer, afterHead, consumed, bodyLeft);
                    }
                }

                var upOutput = upstream.Transport.Output;
                _request.WriteForward(upOutput, _clientAddress);
                if (bodyLeft > 0)
                {
                    var first = buffer.Slice(afterHead);
                    first = first.Slice(0, Math.Min(bodyLeft, first.Length));
                    foreach (var segment in first)
                    {
                        upOutput.Write(segment.Span);
                    }

                    bodyLeft -= first.Length;
                    _input.AdvanceTo(first.End);
                    consumed = true;
                }

                var sent = await FlushAsync(upOutput, upstream);
                if (sent && bodyLeft > 0)
                {
                    (var copy, bodyLeft) = await CopyRequestBodyAsync(upOutput, upstream, bodyLeft);
                    if (copy == Copy.ClientGone)
                    {
                        counters.Abandon(Micros(start, 0));
                        return false;
                    }

                    sent = copy == Copy.Done;
                }

                var (status, afterResponse) = sent ? await ReadResponseHeadAsync(upstream) : (Copy.UpstreamBroke, default);
                if (status != Copy.Done && _clientGone)
                {
                    counters.Abandon(Micros(start, 0));
                    return false;
                }

                if (status != Copy.Done)
                {
                    if (_timedOut || status == Copy.Malformed || consumed)
                    {
                        return await FailAsync(release, start, _timedOut, status == Copy.Malformed ? "malformed answer" : "connection lost",
                            buffer, afterHead, consumed, bodyLeft);
                    }

                    // A pooled connection the instance had closed: the request never reached it; once more on a new one.
                    if (reused && !staleRetried)
                    {
                        staleRetried = true;
                        endpoint.InFlight.Increment();
                        continue;
                    }

                    // The connection broke before anything came back: an idempotent request without a body goes once
                    // more, to another endpoint.
                    if (_request.IsIdempotent && !resetRetried && release.Pick(tried) is var other and >= 0)
                    {
                        Log.Retrying(_owner.Logger, endpoint.InstanceId, release.Version, "connection lost");
                        resetRetried = true;
                        (index, tried) = (other, tried | (1UL << other));
                        release.Endpoints[index].InFlight.Increment();
                        continue;
                    }

                    return await FailAsync(release, start, timedOut: false, "connection lost", buffer, afterHead, consumed, bodyLeft);
                }

                var headersAt = Stopwatch.GetTimestamp();
                if (!consumed)
                {
                    _input.AdvanceTo(afterHead);
                    consumed = true;
                }

                var closeClient = _request.Close || _closing || bodyLeft > 0 || _response.Framing == BodyFraming.UntilClose;
                _response.WriteForward(_output, release.VersionHeaderLine, decision.SetCookie, closeClient);
                upstream.Transport.Input.AdvanceTo(afterResponse);
                var body = await CopyResponseBodyAsync(upstream);
                if (body == Copy.Done && !await FlushAsync(_output, null))
                {
                    body = Copy.ClientGone;
                }

                switch (body)
                {
                    case Copy.Done:
                        var micros = Micros(start, headersAt);
                        // Flags first: a reader that sees the request counted sees its flags counted too.
                        _response.CountFlags(counters.Flags, micros);
                        counters.Answered(_response.Status, micros);
                        if (!_response.Close && bodyLeft == 0)
                        {
                            answered = upstream;
                        }

                        return !closeClient;
                    case Copy.ClientGone:
                    case not Copy.Done when _clientGone:
                        counters.Abandon(Micros(start, 0));
                        return false;
                    default:
                        // The answer has started: all that is left is to cut the client's connection short.
                        Log.ForwardFailed(_owner.Logger, release.Version, _timedOut ? "the instance went silent" : "the answer broke off");
                        if (_timedOut)
                        {
                            counters.TimedOut(Micros(start, 0));
                        }
                        else
                        {
                            counters.TransportError(Micros(start, 0));
                        }

                        return false;
                }
            }
            finally
            {
                endpoint.InFlight.Decrement();
                if (answered is not null)
                {
                    pool.Return(answered);
                }
                else if (upstream is not null)
                {
                    UpstreamPool.Close(upstream);
                }
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(Copy, long)> CopyRequestBodyAsync(PipeWriter upOutput, ConnectionContext upstream, long left)
    {
        while (left > 0)
        {
            SetDeadline(_owner.Options.ActivityTimeout, null);
            ReadResult result;
            try
            {
                result = await _input.ReadAsync();
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException)
            {
                return (Copy.ClientGone, left);
            }

            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                // The shutdown's wake-up: the request is still being read.
                _input.AdvanceTo(buffer.Start);
                continue;
            }

            if (buffer.IsEmpty && result.IsCompleted)
            {
                return (Copy.ClientGone, left);
            }

            var take = buffer.Slice(0, Math.Min(left, buffer.Length));
            foreach (var segment in take)
            {
                upOutput.Write(segment.Span);
            }

            left -= take.Length;
            _input.AdvanceTo(take.End);
            if (!await FlushAsync(upOutput, upstream))
            {
                return (Copy.UpstreamBroke, left);
            }
        }

        return (Copy.Done, 0);
    }

    // The instance's response head, interim (1xx) answers skipped; Done with the position after the head.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(Copy, SequencePosition)> ReadResponseHeadAsync(ConnectionContext upstream)
    {
        var input = upstream.Transport.Input;
        while (true)
        {
            SetDeadline(_owner.Options.ActivityTimeout, upstream);
            ReadResult result;
            try
            {
                result = await input.ReadAsync();
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or SocketException)
            {
                return (Copy.UpstreamBroke, default);
            }

            var buffer = result.Buffer;
            if (TryFindHead(buffer, out var head, out var after))
            {
                if (!_response.TryParse(head, _request.IsHead) || _response.Status == 101)
                {
                    return (Copy.Malformed, default);
                }

                if (_response.Status < 200)
                {
                    input.AdvanceTo(after);
                    continue;
                }

                // Nothing goes to the client before the first of the body is here: an instance that dies between its
                // head and its body leaves nothing sent, and the request can still be retried.
                var bodyAwaited = _response.Framing == BodyFraming.Chunked
                    || (_response.Framing == BodyFraming.ContentLength && _response.ContentLength > 0);
                if (!bodyAwaited || !buffer.Slice(after).IsEmpty)
                {
                    return (Copy.Done, after);
                }

                if (result.IsCompleted)
                {
                    return (Copy.UpstreamBroke, default);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (result.IsCompleted)
            {
                // Closed before a whole head: garbage after a partial head is as broken as nothing at all.
                return (buffer.IsEmpty ? Copy.UpstreamBroke : Copy.Malformed, default);
            }

            if (buffer.Length > ResponseHead.MaxBytes)
            {
                return (Copy.Malformed, default);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Copy> CopyResponseBodyAsync(ConnectionContext upstream)
    {
        var framing = _response.Framing;
        if (framing == BodyFraming.None)
        {
            return Copy.Done;
        }

        var input = upstream.Transport.Input;
        var left = _response.ContentLength;
        _chunked.Reset();
        while (framing != BodyFraming.ContentLength || left > 0)
        {
            SetDeadline(_owner.Options.ActivityTimeout, upstream);
            ReadResult result;
            try
            {
                result = await input.ReadAsync();
            }
            catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or SocketException)
            {
                return Copy.UpstreamBroke;
            }

            var buffer = result.Buffer;
            switch (framing)
            {
                case BodyFraming.ContentLength:
                    var take = buffer.Slice(0, Math.Min(left, buffer.Length));
                    foreach (var segment in take)
                    {
                        _output.Write(segment.Span);
                    }

                    left -= take.Length;
                    input.AdvanceTo(take.End);
                    if (left > 0 && result.IsCompleted)
                    {
                        return Copy.UpstreamBroke;
                    }

                    break;
                case BodyFraming.Chunked:
                    var consumed = _chunked.Copy(buffer, _output, out var malformed);
                    input.AdvanceTo(consumed, buffer.End);
                    if (malformed)
                    {
                        return Copy.Malformed;
                    }

                    if (_chunked.IsDone)
                    {
                        return Copy.Done;
                    }

                    if (result.IsCompleted)
                    {
                        return Copy.UpstreamBroke;
                    }

                    break;
                default:
                    foreach (var segment in buffer)
                    {
                        _output.Write(segment.Span);
                    }

                    input.AdvanceTo(buffer.End);
                    if (result.IsCompleted)
                    {
                        return Copy.Done;
                    }

                    break;
            }

            // A streamed answer reaches the client as it comes; a small one was all in the first read.
            if ((framing != BodyFraming.ContentLength || left > 0) && !await FlushAsync(_output, null))
            {
                return Copy.ClientGone;
            }
        }

        return Copy.Done;
    }

    // Before anything was sent to an instance, or when nothing came back: the edge's own answer.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RefuseBeforeForwardingAsync(int status, string sentence, CompiledRelease? release,
        ReadOnlySequence<byte> buffer, SequencePosition afterHead)
    {
        // The body must be read past to keep the connection; one that has not all arrived closes it instead.
        var rest = buffer.Slice(afterHead);
        var close = _request.Close || _closing || rest.Length < _request.ContentLength;
        _input.AdvanceTo(close ? buffer.End : rest.Slice(0, _request.ContentLength).End);
        WriteRefusal(status, sentence, release, close);
        return await FlushAsync(_output, null) && !close;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FailAsync(CompiledRelease release, long start, bool timedOut, string error,
        ReadOnlySequence<byte> buffer, SequencePosition afterHead, bool consumed, long bodyLeft)
    {
        Log.ForwardFailed(_owner.Logger, release.Version, error);
        var micros = Micros(start, 0);
        if (timedOut)
        {
            release.Counters.TimedOut(micros);
        }
        else
        {
            release.Counters.TransportError(micros);
        }

        var (status, sentence) = timedOut
            ? (504, "The instance did not answer in time.")
            : (502, "The instance did not answer.");
        if (!consumed)
        {
            return await RefuseBeforeForwardingAsync(status, sentence, release, buffer, afterHead);
        }

        var close = _request.Close || _closing || bodyLeft > 0;
        WriteRefusal(status, sentence, release, close);
        return await FlushAsync(_output, null) && !close;
    }

    private void WriteRefusal(int status, string sentence, CompiledRelease? release, bool close)
    {
        var body = Encoding.UTF8.GetBytes(sentence + "\n");
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        _output.Write(Encoding.ASCII.GetBytes(head.ToString()));
        if (release is not null)
        {
            _output.Write(release.VersionHeaderLine);
        }

        _output.Write(HttpBytes.Crlf);
        _output.Write(body);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FlushAsync(PipeWriter output, ConnectionContext? upstream)
    {
        SetDeadline(_owner.Options.ActivityTimeout, upstream);
        try
        {
            var result = await output.FlushAsync();
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or SocketException)
        {
            return false;
        }
    }

    private void SetDeadline(TimeSpan timeout, ConnectionContext? waitingOn)
    {
        Volatile.Write(ref _waitingOn, waitingOn);
        Volatile.Write(ref _deadline, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
    }

    private static bool TryFindHead(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> head, out SequencePosition after)
    {
        var reader = new SequenceReader<byte>(buffer);
        var found = reader.TryReadTo(out head, HttpBytes.HeadEnd, advancePastDelimiter: true);
        after = reader.Position;
        return found;
    }

    private static long Micros(long start, long end) =>
        (long)Stopwatch.GetElapsedTime(start, end == 0 ? Stopwatch.GetTimestamp() : end).TotalMicroseconds;
}
