'use strict';

// `npm run security`: offline security checks. It does NOT consult a vulnerability database (that
// needs the network; use `npm audit` where the registry is reachable). What it checks:
//   1. package.json declares no install-time scripts (preinstall, install, postinstall);
//   2. every package in package-lock.json comes from the npm registry with an integrity hash and
//      runs no install script (no git, file, or plain http sources);
//   3. no source file holds a hard-coded secret (private keys, cloud and forge tokens, literal
//      passwords). Exit 1 and one line per finding when anything is found.

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);
const SCANNED = /\.(js|cjs|mjs|json|ya?ml|sh|env|md|txt|html)$|^\.npmrc$|^VERSION$/;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];
const REGISTRY = 'https://registry.npmjs.org/';

const SECRET_PATTERNS = [
  { name: 'private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY( BLOCK)?-----/ },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { name: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'npm auth token in .npmrc', re: /_authToken\s*=\s*[^\s$]/ },
  { name: 'literal password or secret', re: /\b(?:password|passwd|secret|api[_-]?key|access[_-]?token)\s*[:=]\s*['"][^'"\s$]{8,}['"]/i },
];

function checkPackage(pkg, file = 'package.json') {
  const scripts = pkg.scripts || {};
  return INSTALL_SCRIPTS.filter((name) => name in scripts).map((name) => `${file}: runs an install script '${name}'`);
}

function checkLockfile(lock, file = 'package-lock.json') {
  const findings = [];
  for (const [where, entry] of Object.entries(lock.packages || {})) {
    if (where === '') {
      continue;
    }
    if (entry.link) {
      findings.push(`${file}: ${where} is a link to ${entry.resolved}, not a registry package`);
      continue;
    }
    if (entry.hasInstallScript) {
      findings.push(`${file}: ${where} runs an install script`);
    }
    if (!entry.resolved || !entry.resolved.startsWith(REGISTRY)) {
      findings.push(`${file}: ${where} does not come from the npm registry (${entry.resolved || 'no resolved URL'})`);
    }
    if (!entry.integrity) {
      findings.push(`${file}: ${where} has no integrity hash`);
    }
  }
  return findings;
}

function scanText(text, file) {
  const findings = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const { name, re } of SECRET_PATTERNS) {
      if (re.test(line)) {
        findings.push(`${file}:${i + 1}: looks like a hard-coded ${name}`);
      }
    }
  });
  return findings;
}

function sourceFiles(dir, rel = '') {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relPath = path.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) {
        files.push(...sourceFiles(path.join(dir, entry.name), relPath));
      }
    } else if (entry.isFile() && SCANNED.test(entry.name)) {
      files.push(relPath);
    }
  }
  return files;
}

function runChecks(root) {
  const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
  const findings = [...checkPackage(JSON.parse(read('package.json')))];
  let lockPackages = 0;
  if (fs.existsSync(path.join(root, 'package-lock.json'))) {
    const lock = JSON.parse(read('package-lock.json'));
    lockPackages = Object.keys(lock.packages || {}).length - 1;
    findings.push(...checkLockfile(lock));
  } else {
    findings.push('package-lock.json: missing (installs are not reproducible without it)');
  }
  const files = sourceFiles(root);
  for (const file of files) {
    findings.push(...scanText(read(file), file));
  }
  return { findings, lockPackages, files: files.length };
}

if (require.main === module) {
  const { findings, lockPackages, files } = runChecks(ROOT);
  console.log('security: offline checks only; no vulnerability database was consulted');
  console.log(`security: ${lockPackages} locked package(s) checked for source and install scripts; ${files} file(s) scanned for secrets`);
  for (const finding of findings) {
    console.log(`security: ${finding}`);
  }
  console.log(`security: ${findings.length} finding(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

module.exports = { checkPackage, checkLockfile, scanText, runChecks };
