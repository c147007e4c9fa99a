'use strict';

// Where the running service learns its version and commit, in this order:
// 1. the environment: SERVICE_VERSION and SERVICE_COMMIT;
// 2. a VERSION file next to server.js (written by `npm run build`), lines `version=...` and `commit=...`;
// 3. package.json's version, and the commit "unknown".

const fs = require('node:fs');
const path = require('node:path');

/** Parses the text of a VERSION file: `key=value` lines; blank lines and `#` comments are ignored. */
function parseVersionFile(text) {
  const values = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      continue;
    }
    values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return values;
}

/** Renders what parseVersionFile reads. */
function formatVersionFile({ version, commit }) {
  return `version=${version}\ncommit=${commit}\n`;
}

/** The version and commit of the service installed in `dir`, following the order above. */
function readVersionInfo(dir, env = process.env) {
  let fromFile = {};
  try {
    fromFile = parseVersionFile(fs.readFileSync(path.join(dir, 'VERSION'), 'utf8'));
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw error;
    }
  }

  let packageVersion = '0.0.0';
  try {
    packageVersion = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version || packageVersion;
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw error;
    }
  }

  return {
    version: env.SERVICE_VERSION || fromFile.version || packageVersion,
    commit: env.SERVICE_COMMIT || fromFile.commit || 'unknown',
  };
}

module.exports = { parseVersionFile, formatVersionFile, readVersionInfo };
