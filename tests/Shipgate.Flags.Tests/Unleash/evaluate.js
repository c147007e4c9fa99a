// Evaluates Unleash toggles with the real unleash-client, offline (bootstrapped, no server, no metrics), for the
// agreement tests. Input (a JSON file named by the first argument):
//   { "features": [ Unleash toggles ], "names": [ toggle names ], "contexts": [ Unleash contexts ] }
// Output (stdout): one array per name, each with one entry per context: [featureEnabled, variantName].
'use strict';
const fs = require('node:fs');
const { Unleash, InMemStorageProvider } = require('unleash-client');

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const unleash = new Unleash({
  appName: 'shipgate-flags-agreement',
  url: 'http://127.0.0.1:9/api/',
  refreshInterval: 0,
  disableMetrics: true,
  storageProvider: new InMemStorageProvider(),
  bootstrap: { data: input.features },
});
unleash.on('error', (err) => {
  process.stderr.write(`unleash-client: ${err.message}\n`);
  process.exit(1);
});
unleash.on('synchronized', () => {
  const answers = input.names.map((name) =>
    input.contexts.map((context) => {
      const variant = unleash.getVariant(name, context);
      return [variant.feature_enabled, variant.name];
    }),
  );
  process.stdout.write(JSON.stringify(answers));
  unleash.destroy();
});
