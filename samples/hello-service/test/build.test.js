'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { build } = require('../scripts/build');
const { readVersionInfo } = require('../lib/version');

test('build copies the runtime files and writes VERSION with the commit of GITHUB_SHA', (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-build-'));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  fs.writeFileSync(path.join(out, 'stale.txt'), 'from an earlier build');

  const info = build(out, { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' });

  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  assert.deepEqual(info, { version: pkg.version, commit: '0123456789abcdef0123456789abcdef01234567' });
  assert.deepEqual(readVersionInfo(out, {}), info);
  assert.ok(fs.existsSync(path.join(out, 'server.js')));
  assert.ok(fs.existsSync(path.join(out, 'lib', 'version.js')));
  assert.ok(!fs.existsSync(path.join(out, 'stale.txt')), 'the output directory starts empty');
  assert.ok(!fs.existsSync(path.join(out, 'test')), 'tests are not shipped');
  const shipped = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
  assert.deepEqual(shipped.scripts, { start: 'node server.js' });
});
