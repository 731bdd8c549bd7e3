#!/usr/bin/env node
// The autoir command. Build first (`npm run build`); `npm start` does both.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('autoir: not built yet — run `npm run build` (or `npm start`) first\n');
  process.exit(1);
}
await import(entry.href);
