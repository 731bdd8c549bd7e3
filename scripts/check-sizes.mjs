// No source file over 600 lines: a module that grows past that holds more than one concern (docs/architecture.md).
// Generated files are exempt. Exit code 1 names each file over the limit.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const LIMIT = 600;
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src'];
const over = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      if (name !== 'generated') walk(file);
    } else if (/\.(ts|tsx)$/.test(name)) {
      const lines = readFileSync(file, 'utf8').split('\n').length - 1;
      if (lines > LIMIT) over.push(`${file}: ${lines} lines (at most ${LIMIT})`);
    }
  }
};
for (const root of roots) walk(root);
for (const line of over) console.error(line);
process.exit(over.length === 0 ? 0 : 1);
