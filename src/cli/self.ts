/**
 * How the person at the terminal runs autoir, for hints that name a command that works: `autoir` when that name on
 * PATH is this program, `npx autoir` when npm ran it (`npx`, `npm exec`, a package script), else `node <path>`.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

export function invokedAs(
  env: Readonly<Record<string, string | undefined>>,
  script: string | undefined,
  cwd: string,
): string {
  if (script) {
    for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(dir, 'autoir');
      try {
        if (statSync(candidate).isFile() && sameFile(candidate, script)) return 'autoir';
      } catch {
        // Not in this folder.
      }
    }
  }
  if (env.npm_command === 'exec' || env.npm_lifecycle_event !== undefined) return 'npx autoir';
  if (!script) return 'autoir';
  const relative = path.relative(cwd, script);
  return `node ${relative.startsWith('..') || relative === '' ? script : relative}`;
}
