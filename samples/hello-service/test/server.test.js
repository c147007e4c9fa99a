'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createServer, createFailureSchedule, parseLatency } = require('../server');

async function withServer(options, fn) {
  const server = createServer(options);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const info = { version: '1.2.3', commit: 'abc123' };

test('GET /health answers 200 ok', async () => {
  await withServer({ info }, async (base) => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
  });
});

test('GET / shows the version and the commit', async () => {
  await withServer({ info }, async (base) => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const page = await res.text();
    assert.match(page, /<span id="version">1\.2\.3<\/span>/);
    assert.match(page, /<span id="commit">abc123<\/span>/);
  });
});

test('GET / escapes the version as HTML', async () => {
  await withServer({ info: { version: '<b>&', commit: '"x"' } }, async (base) => {
    const page = await (await fetch(`${base}/`)).text();
    assert.match(page, /<span id="version">&#60;b&#62;&#38;<\/span>/);
    assert.match(page, /<span id="commit">&#34;x&#34;<\/span>/);
  });
});

test('GET /version answers JSON with service, version and commit', async () => {
  await withServer({ info }, async (base) => {
    const res = await fetch(`${base}/version`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { service: 'hello-service', version: '1.2.3', commit: 'abc123' });
  });
});

test('an unknown path answers 404 and a POST answers 405', async () => {
  await withServer({ info }, async (base) => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const post = await fetch(`${base}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

test('a failure rate of 0.5 fails every second request to / and never /health', async () => {
  await withServer({ info, failureRate: '0.5' }, async (base) => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await fetch(`${base}/`)).status);
      assert.equal((await fetch(`${base}/health`)).status, 200);
    }
    assert.deepEqual(statuses, [200, 500, 200, 500, 200, 500]);
  });
});

test('the failure schedule fails exactly floor(n * rate) of n requests', () => {
  for (const rate of [0, 0.05, 0.1, 0.33, 1]) {
    const shouldFail = createFailureSchedule(rate);
    let failed = 0;
    for (let i = 0; i < 200; i++) {
      failed += shouldFail() ? 1 : 0;
    }
    assert.equal(failed, Math.floor(200 * rate), `rate ${rate}`);
  }
});

test('a failure rate outside 0..1 is refused', () => {
  assert.throws(() => createFailureSchedule('1.5'), /from 0 to 1/);
  assert.throws(() => createFailureSchedule('lots'), /from 0 to 1/);
});

test('HELLO_LATENCY_MS holds back each answer to / and not /health', async () => {
  await withServer({ info, latencyMs: '150' }, async (base) => {
    const started = process.hrtime.bigint();
    const page = await fetch(`${base}/`);
    const pageMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(page.status, 200);
    assert.ok(pageMs >= 140, `/ answered after ${pageMs} ms`);
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
  });
});

test('HELLO_LATENCY_MS must be a whole number of milliseconds', () => {
  assert.equal(parseLatency('0'), 0);
  assert.equal(parseLatency(250), 250);
  for (const bad of ['-1', '1.5', 'slow', '60001']) {
    assert.throws(() => parseLatency(bad), /HELLO_LATENCY_MS must be a whole number of milliseconds from 0 to 60000/);
  }
});
