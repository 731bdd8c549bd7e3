/**
 * The living-off-the-land rule: a process can be malicious because of what it was told to do (its command line,
 * its parent, an injection), while the program file it runs is a legitimate operating-system or vendor binary.
 * A verdict flows from a process to its image file only when the file itself is implicated — by a bad hash, a
 * detection about it, a missing or broken signature, a renamed or planted copy, an unusual place — or when the
 * attacker wrote it (verdicts.ts checks that relation); never merely because it ran.
 */
import type { FileEntity } from '../domain/entity.js';
import type { Evidence } from '../domain/evidence.js';
import { isProgramFiles, isSystemPath, isUnixSystemPath } from '../domain/os-paths.js';

/** Analyzers whose positive findings are about the file itself, not about what ran it. */
const ABOUT_THE_FILE = new Set(['indicators', 'alerts', 'filePath', 'fileSignature']);

/** What implicates a file by itself, in words; `undefined` when it looks like an installed program. */
export function fileImplication(file: Evidence): string | undefined {
  const own = file.ownFindings.find((finding) => finding.weight > 0 && ABOUT_THE_FILE.has(finding.analyzer));
  if (own) return `${own.analyzer}: ${own.text}`;
  const path = (file.entity as FileEntity).path;
  if (!path) return 'nothing shows it is an installed program (no path known)';
  if (isSystemPath(path) || isUnixSystemPath(path) || isProgramFiles(path)) return undefined;
  return `stored at ${path}, not where the operating system or installed programs keep theirs`;
}

/** Why a file is taken for a legitimate binary, in words (for the finding that says the rule was applied). */
export function legitimateBecause(file: Evidence): string {
  const path = (file.entity as FileEntity).path ?? '';
  const where = isProgramFiles(path)
    ? 'an installed program under Program Files'
    : 'an operating-system binary at its system path';
  return `${where}, and nothing implicates the file itself (not written by the attacker, not renamed, not unsigned, no bad hash)`;
}
