/**
 * The YAML settings files autoir reads at start (`AUTOIR_MAIL`, `AUTOIR_INPUTS`): read and validated in one way, a
 * mistake named by the file and the field (`AUTOIR_E_BAD_INPUT`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AutoirError } from '../domain/errors.js';

/** An error naming `file` and, where known, the field. */
export function settingsFileError(file: string, field: string, message: string): AutoirError {
  return new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: ${field ? `${field}: ` : ''}${message}`, {
    location: { file, ...(field ? { field } : {}) },
  });
}

/** The file's YAML, validated by `schema` (an empty file is `empty`). */
export function readSettingsFile<S extends z.ZodType>(file: string, schema: S, empty: unknown): z.output<S> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw settingsFileError(file, '', `cannot read: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(document ?? empty);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw settingsFileError(file, issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
  }
  return parsed.data;
}
