#!/usr/bin/env node
// The demo's connector (`autoir serve --demo`): takes an action as JSON on standard input, changes nothing, and
// reports success — so approving an action in the demo shows the whole path to "succeeded" in the action center.
// Real connectors: docs/connectors.md.
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const action = JSON.parse(input);
  process.stdout.write(
    `${JSON.stringify({
      status: 'succeeded',
      message: `demo connector: ${action.type} on ${action.targetKey} recorded; nothing was changed`,
    })}\n`,
  );
});
