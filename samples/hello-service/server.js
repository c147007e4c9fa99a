'use strict';

// hello-service: a small web service for Shipgate's sample workflows, with no dependencies.
//   GET /health   200 "ok"
//   GET /         an HTML page that shows the version and the commit
//   GET /version  {"service", "version", "commit"} as JSON
// Settings (environment): PORT (default 3000; 0 picks a free port), HOST (default 127.0.0.1),
// PORT_FILE (where to write the port once listening), SERVICE_VERSION and SERVICE_COMMIT (see
// lib/version.js), HELLO_FAILURE_RATE (0..1: the share of requests to / answered with 500, so that a
// canary can be made to fail on purpose; default 0), HELLO_LATENCY_MS (0..60000: how long each answer to /
// is held back, so that a canary can be made slow on purpose; default 0).

const http = require('node:http');
const fs = require('node:fs');
const { readVersionInfo } = require('./lib/version');

const SERVICE = 'hello-service';

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderPage({ version, commit }) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${SERVICE} ${escapeHtml(version)}</title></head>
<body>
<h1>Hello from ${SERVICE}</h1>
<p>Version <span id="version">${escapeHtml(version)}</span>, commit <span id="commit">${escapeHtml(commit)}</span>.</p>
</body>
</html>
`;
}

/**
 * Decides which requests fail when a failure rate is set: exactly floor(n * rate) of the first n
 * requests, spread evenly, so that the error rate a monitor measures is predictable (no randomness).
 */
function createFailureSchedule(rate) {
  const r = Number(rate);
  if (!Number.isFinite(r) || r < 0 || r > 1) {
    throw new Error(`HELLO_FAILURE_RATE must be a number from 0 to 1, not '${rate}'`);
  }
  let count = 0;
  return () => {
    count += 1;
    return Math.floor(count * r) > Math.floor((count - 1) * r);
  };
}

/** The injected latency in milliseconds: a whole number from 0 to 60000. */
function parseLatency(value) {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60000) {
    throw new Error(`HELLO_LATENCY_MS must be a whole number of milliseconds from 0 to 60000, not '${value}'`);
  }
  return ms;
}

/** An http.Server for the given version info, failure rate and injected latency (not listening yet). */
function createServer({ info, failureRate = 0, latencyMs = 0 }) {
  const shouldFail = createFailureSchedule(failureRate);
  const latency = parseLatency(latencyMs);
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }

    switch (url.pathname) {
      case '/health':
        send(200, 'text/plain; charset=utf-8', 'ok');
        return;
      case '/version':
        send(200, 'application/json', `${JSON.stringify({ service: SERVICE, ...info })}\n`);
        return;
      case '/': {
        const answer = () => {
          if (shouldFail()) {
            send(500, 'text/plain; charset=utf-8', 'injected failure (HELLO_FAILURE_RATE)\n');
            return;
          }
          send(200, 'text/html; charset=utf-8', renderPage(info));
        };
        if (latency > 0) {
          setTimeout(answer, latency);
        } else {
          answer();
        }
        return;
      }
      default:
        send(404, 'text/plain; charset=utf-8', 'not found\n');
    }
  });
}

function main(env = process.env) {
  const info = readVersionInfo(__dirname, env);
  const server = createServer({ info, failureRate: env.HELLO_FAILURE_RATE || 0, latencyMs: env.HELLO_LATENCY_MS || 0 });
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  const host = env.HOST || '127.0.0.1';

  server.listen(port, host, () => {
    const actual = server.address().port;
    if (env.PORT_FILE) {
      // Written whole, then renamed, so a reader never sees a partial port number.
      fs.writeFileSync(`${env.PORT_FILE}.tmp`, `${actual}\n`);
      fs.renameSync(`${env.PORT_FILE}.tmp`, env.PORT_FILE);
    }
    console.log(`${SERVICE} ${info.version} (${info.commit}) listening on http://${host}:${actual}`);
  });

  const stop = (signal) => {
    console.log(`${SERVICE}: ${signal}, stopping`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}

if (require.main === module) {
  main();
}

module.exports = { createServer, createFailureSchedule, parseLatency, renderPage, main };
