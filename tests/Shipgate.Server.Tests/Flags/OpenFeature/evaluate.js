// Evaluates flags through the real OpenFeature server SDK and its OFREP provider, configured as a service the edge
// runs is: SHIPGATE_FLAGS_URL (the server's base URL) and SHIPGATE_FLAGS_KEY (a client key of its environment).
// Reads [{type, key, default, context}] from the file named by the first argument; prints the details as JSON.
'use strict';
const fs = require('fs');
const { OpenFeature } = require('@openfeature/server-sdk');
const { OFREPProvider } = require('@openfeature/ofrep-provider');

async function main() {
  const requests = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  await OpenFeature.setProviderAndWait(new OFREPProvider({
    baseUrl: process.env.SHIPGATE_FLAGS_URL,
    headers: { Authorization: `Bearer ${process.env.SHIPGATE_FLAGS_KEY}` },
  }));
  const client = OpenFeature.getClient();
  const methods = { boolean: 'getBooleanDetails', string: 'getStringDetails', number: 'getNumberDetails', object: 'getObjectDetails' };
  const results = [];
  for (const request of requests) {
    const details = await client[methods[request.type]](request.key, request.default, request.context);
    results.push({
      key: request.key,
      value: details.value,
      variant: details.variant ?? null,
      reason: details.reason ?? null,
      errorCode: details.errorCode ?? null,
    });
  }
  await OpenFeature.close();
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
