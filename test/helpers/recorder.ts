/**
 * A real `command` connector for end-to-end tests: a script that appends every action it receives (the JSON on its
 * standard input) to a file and reports success, and the connectors YAML file that points autoir at it.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Recorder {
  /** The connectors file, for `AUTOIR_CONNECTORS`. */
  readonly connectors: string;
  /** Every request received so far, in order. */
  requests<T = Record<string, unknown>>(): T[];
}

export function createRecorder(dir: string, message = 'recorded'): Recorder {
  const recorded = path.join(dir, 'requests.ndjson');
  const script = path.join(dir, 'respond.mjs');
  writeFileSync(
    script,
    `#!/usr/bin/env node
import { appendFileSync } from 'node:fs';
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  appendFileSync(${JSON.stringify(recorded)}, JSON.stringify(JSON.parse(input)) + '\\n');
  console.log(JSON.stringify({ status: 'succeeded', message: ${JSON.stringify(message)} }));
});
`,
  );
  chmodSync(script, 0o755);
  const connectors = path.join(dir, 'connectors.yaml');
  writeFileSync(
    connectors,
    `connectors:\n  - name: recorder\n    kind: command\n    timeout: 20s\n    settings:\n      command: ${script}\n`,
  );
  return {
    connectors,
    requests: <T>() =>
      existsSync(recorded)
        ? readFileSync(recorded, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as T)
        : [],
  };
}
