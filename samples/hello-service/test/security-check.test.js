'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { checkPackage, checkLockfile, scanText, runChecks } = require('../scripts/security-check');

// Secrets are put together at run time so that this file itself holds none.
const fakeAwsKey = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');
const fakeKeyHeader = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');
const fakePassword = ['const pass', 'word = "hunter2hunter2";'].join('');

test('checkPackage flags install scripts and nothing else', () => {
  assert.deepEqual(checkPackage({ scripts: { test: 'node --test', postinstall: 'curl x | sh' } }), [
    "package.json: runs an install script 'postinstall'",
  ]);
  assert.deepEqual(checkPackage({ scripts: { build: 'node scripts/build.js' } }), []);
});

test('checkLockfile flags git sources, install scripts and missing integrity', () => {
  const lock = {
    packages: {
      '': { name: 'x' },
      'node_modules/good': { resolved: 'https://registry.npmjs.org/good/-/good-1.0.0.tgz', integrity: 'sha512-x' },
      'node_modules/fromgit': { resolved: 'git+ssh://git@example.com/x.git#abc', integrity: 'sha512-y' },
      'node_modules/builds': { resolved: 'https://registry.npmjs.org/b/-/b-1.0.0.tgz', integrity: 'sha512-z', hasInstallScript: true },
      'node_modules/loose': { resolved: 'https://registry.npmjs.org/l/-/l-1.0.0.tgz' },
    },
  };
  const findings = checkLockfile(lock);
  assert.equal(findings.length, 3);
  assert.match(findings[0], /fromgit does not come from the npm registry/);
  assert.match(findings[1], /builds runs an install script/);
  assert.match(findings[2], /loose has no integrity hash/);
});

test('scanText reports hard-coded secrets with their line', () => {
  const text = `const a = 1;\nconst key = '${fakeAwsKey}';\n${fakeKeyHeader}\n${fakePassword}\n`;
  const findings = scanText(text, 'app.js');
  assert.deepEqual(
    findings.map((f) => f.split(': ')[0]),
    ['app.js:2', 'app.js:3', 'app.js:4'],
  );
});

test('scanText lets references to secrets through', () => {
  assert.deepEqual(scanText('const password = process.env.PASSWORD;\ntoken: ${{ secrets.TOKEN }}\n', 'x.js'), []);
});

test('the service itself has no findings', () => {
  const { findings, files } = runChecks(path.join(__dirname, '..'));
  assert.deepEqual(findings, []);
  assert.ok(files > 5);
});
