'use strict';

// The deploy stand-in (deploy/local-deploy.sh) that the sample workflows call: real bash, curl and
// service processes in a throwaway DEPLOY_ROOT.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { build } = require('../scripts/build');

const SCRIPT = path.join(__dirname, '..', 'deploy', 'local-deploy.sh');

function setup(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-deploy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dist = path.join(dir, 'dist');
  build(dist, { GITHUB_SHA: 'feedface00000000000000000000000000000000' });
  const root = path.join(dir, 'deployments');
  const run = (args, env = {}) => {
    const result = spawnSync('bash', [SCRIPT, ...args], {
      env: { ...process.env, DEPLOY_ROOT: root, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
  };
  const status = (env) => Object.fromEntries(run(['status', env]).stdout.split('\n').map((l) => l.split('=')));
  return { dist, root, run, status };
}

test('install, smoke test and rollback to the previous release', (t) => {
  const { dist, run, status } = setup(t);
  const first = run(['install', 'production', dist]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, '0001-1.0.0-feedfac');
  const second = run(['install', 'production', dist]);
  assert.equal(second.stdout, '0002-1.0.0-feedfac');

  assert.equal(run(['verify', 'production']).status, 0);
  const smoke = run(['smoke', 'production', '1.0.0', 'feedface00000000000000000000000000000000']);
  assert.equal(smoke.status, 0, smoke.stderr);
  const badSmoke = run(['smoke', 'production', '2.0.0']);
  assert.equal(badSmoke.status, 1);
  assert.match(badSmoke.stderr, /shows version '1.0.0', expected '2.0.0'/);

  assert.equal(run(['rollback', 'production', second.stdout]).status, 0);
  assert.deepEqual(status('production'), { current: first.stdout, previous: '', canary: '', 'canary-weight': '0' });
});

test('rollback of a release that is not current changes nothing', (t) => {
  const { dist, run, status } = setup(t);
  run(['install', 'staging', dist]);
  const result = run(['rollback', 'staging', '0009-1.0.0-other']);
  assert.equal(result.status, 0);
  assert.match(result.stderr, /nothing to roll back/);
  assert.equal(status('staging').current, '0001-1.0.0-feedfac');
});

test('a packaged .tar.gz is checked against its .sha256 before it is unpacked', (t) => {
  const { dist, root, run } = setup(t);
  const tarball = path.join(path.dirname(root), 'hello.tar.gz');
  assert.equal(spawnSync('tar', ['-czf', tarball, '-C', dist, '.']).status, 0);
  assert.equal(spawnSync('bash', ['-c', 'sha256sum hello.tar.gz > hello.tar.gz.sha256'], { cwd: path.dirname(tarball) }).status, 0);
  assert.equal(run(['install', 'production', tarball]).status, 0);

  fs.appendFileSync(tarball, 'tampered');
  const tampered = run(['install', 'production', tarball]);
  assert.equal(tampered.status, 1);
  assert.match(tampered.stderr, /does not match its checksum/);
});

test('a healthy canary passes the monitor and is promoted', (t) => {
  const { dist, run, status } = setup(t);
  run(['install', 'production', dist]);
  const canary = run(['canary', 'production', dist]);
  assert.equal(canary.status, 0, canary.stderr);
  assert.equal(run(['weight', 'production', '10']).status, 0);
  const monitor = run(['monitor', 'production', '100', '5']);
  assert.equal(monitor.status, 0, monitor.stderr);
  assert.match(monitor.stderr, /stable: 90 requests, 0 errors/);
  assert.match(monitor.stderr, /canary: 10 requests, 0 errors/);
  assert.equal(run(['promote', 'production']).status, 0);
  assert.deepEqual(status('production'), { current: canary.stdout, previous: '0001-1.0.0-feedfac', canary: '', 'canary-weight': '0' });
});

test('a failing canary fails the monitor and is aborted', (t) => {
  const { dist, run, status } = setup(t);
  run(['install', 'production', dist]);
  run(['canary', 'production', dist]);
  run(['weight', 'production', '50']);
  const monitor = run(['monitor', 'production', '40', '5'], { CANARY_FAILURE_RATE: '0.5' });
  assert.equal(monitor.status, 1);
  assert.match(monitor.stderr, /canary: 20 requests, 10 errors/);
  assert.match(monitor.stderr, /error rate 50.00% is above 5%/);
  assert.equal(run(['abort', 'production']).status, 0);
  assert.deepEqual(status('production'), { current: '0001-1.0.0-feedfac', previous: '', canary: '', 'canary-weight': '0' });
});
