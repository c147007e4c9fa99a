'use strict';

// `npm run build`: packages the service into dist/ (or the directory given as the first argument):
// the files it runs from, a package.json without the development scripts, and a VERSION file with
// the version and the commit it was built from. The commit is GITHUB_SHA when a runner sets it,
// else `git rev-parse HEAD`, else "unknown".

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { formatVersionFile } = require('../lib/version');

const ROOT = path.resolve(__dirname, '..');
const FILES = ['server.js', 'lib'];

function currentCommit(env = process.env) {
  if (env.GITHUB_SHA) {
    return env.GITHUB_SHA;
  }
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function build(outDir, env = process.env) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const info = { version: pkg.version, commit: currentCommit(env) };

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of FILES) {
    fs.cpSync(path.join(ROOT, file), path.join(outDir, file), { recursive: true });
  }
  const runtimePackage = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    main: pkg.main,
    scripts: { start: pkg.scripts.start },
  };
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(runtimePackage, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'VERSION'), formatVersionFile(info));
  return info;
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
  const info = build(outDir);
  console.log(`built ${info.version} (commit ${info.commit}) into ${path.relative(process.cwd(), outDir) || '.'}`);
}

module.exports = { build, currentCommit };
