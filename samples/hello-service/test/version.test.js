'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseVersionFile, formatVersionFile, readVersionInfo } = require('../lib/version');

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-version-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('parseVersionFile reads key=value lines and skips comments and junk', () => {
  assert.deepEqual(parseVersionFile('# built\nversion=2.0.0\r\n\ncommit = abc\nnonsense\n'), { version: '2.0.0', commit: 'abc' });
});

test('formatVersionFile writes what parseVersionFile reads', () => {
  const info = { version: '3.1.4', commit: 'deadbeef' };
  assert.deepEqual(parseVersionFile(formatVersionFile(info)), info);
});

test('readVersionInfo prefers the environment, then VERSION, then package.json', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"version": "0.9.0"}');
  assert.deepEqual(readVersionInfo(dir, {}), { version: '0.9.0', commit: 'unknown' });

  fs.writeFileSync(path.join(dir, 'VERSION'), 'version=1.0.0\ncommit=c0ffee\n');
  assert.deepEqual(readVersionInfo(dir, {}), { version: '1.0.0', commit: 'c0ffee' });

  assert.deepEqual(readVersionInfo(dir, { SERVICE_VERSION: '7.0.0', SERVICE_COMMIT: 'feed' }), { version: '7.0.0', commit: 'feed' });
});

test('readVersionInfo without any file gives 0.0.0 and unknown', (t) => {
  assert.deepEqual(readVersionInfo(tempDir(t), {}), { version: '0.0.0', commit: 'unknown' });
});
