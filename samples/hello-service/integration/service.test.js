'use strict';

// `npm run test:integration`: starts the real service as its own process on a free port, checks
// /health and /, and stops it with SIGTERM. SERVICE_DIR picks the build to test (default: the
// sources; the continuous deployment workflow tests the packaged dist/).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { readVersionInfo } = require('../lib/version');

const serviceDir = path.resolve(process.env.SERVICE_DIR || path.join(__dirname, '..'));
const TIMEOUT_MS = 10_000;

function startService(env = {}) {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: serviceDir,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${TIMEOUT_MS} ms: ${out}`)), TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(({ code }) => reject(new Error(`the service exited with ${code} before listening: ${out}`)));
  });
  return { child, listening, exited };
}

test(`the service in ${path.relative(process.cwd(), serviceDir) || '.'} serves /health and / and stops on SIGTERM`, async () => {
  const service = startService();
  try {
    const base = await service.listening;

    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok');

    const expected = readVersionInfo(serviceDir);
    const page = await (await fetch(`${base}/`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).text();
    assert.ok(page.includes(`<span id="version">${expected.version}</span>`), page);
    assert.ok(page.includes(`<span id="commit">${expected.commit}</span>`), page);
  } finally {
    service.child.kill('SIGTERM');
  }
  const { code } = await Promise.race([
    service.exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the service did not stop on SIGTERM')), TIMEOUT_MS)),
  ]);
  assert.equal(code, 0);
});

test('SERVICE_VERSION given to the process is what / shows', async () => {
  const service = startService({ SERVICE_VERSION: '9.8.7-test' });
  try {
    const base = await service.listening;
    const page = await (await fetch(`${base}/`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).text();
    assert.ok(page.includes('<span id="version">9.8.7-test</span>'), page);
  } finally {
    service.child.kill('SIGTERM');
  }
});
