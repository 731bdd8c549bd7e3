/**
 * One error module for the whole of autoir: codes in one table, three families (user, operational, unexpected).
 *
 * Three families, each with its own exit code and HTTP mapping:
 * - `user`: bad input or bad usage. HTTP 4xx, exit code 2. The message names the file, line or field.
 * - `operational`: a timeout, a busy store, an unreachable service. Retry with capped backoff. HTTP 503, exit 1.
 * - `unexpected`: a bug. HTTP 500, exit 1.
 *
 * Expected outcomes ("no match", "not found while searching") are return values, not throws.
 */

export type ErrorFamily = 'user' | 'operational' | 'unexpected';

interface ErrorSpec {
  readonly family: ErrorFamily;
  readonly httpStatus: number;
}

/** Every error code autoir raises, with its family and HTTP status. */
export const errorCodes = {
  AUTOIR_E_BAD_INPUT: { family: 'user', httpStatus: 400 },
  AUTOIR_E_BAD_USAGE: { family: 'user', httpStatus: 400 },
  AUTOIR_E_UNKNOWN_FORMAT: { family: 'user', httpStatus: 415 },
  AUTOIR_E_PAYLOAD_TOO_LARGE: { family: 'user', httpStatus: 413 },
  AUTOIR_E_UNAUTHENTICATED: { family: 'user', httpStatus: 401 },
  AUTOIR_E_FORBIDDEN: { family: 'user', httpStatus: 403 },
  AUTOIR_E_CSRF: { family: 'user', httpStatus: 403 },
  AUTOIR_E_NOT_FOUND: { family: 'user', httpStatus: 404 },
  AUTOIR_E_ALERT_NOT_FOUND: { family: 'user', httpStatus: 404 },
  AUTOIR_E_TOKEN_NOT_FOUND: { family: 'user', httpStatus: 404 },
  AUTOIR_E_USER_NOT_FOUND: { family: 'user', httpStatus: 404 },
  AUTOIR_E_CONFLICT: { family: 'user', httpStatus: 409 },
  AUTOIR_E_ILLEGAL_TRANSITION: { family: 'user', httpStatus: 409 },
  /** A critical-asset guardrail forbids the action (domain/guardrails.ts); an explicit override may allow it. */
  AUTOIR_E_GUARDRAIL: { family: 'user', httpStatus: 422 },
  AUTOIR_E_TOO_MANY_ATTEMPTS: { family: 'user', httpStatus: 429 },
  AUTOIR_E_STORE_UNAVAILABLE: { family: 'operational', httpStatus: 503 },
  AUTOIR_E_TIMEOUT: { family: 'operational', httpStatus: 503 },
  AUTOIR_E_INTERNAL: { family: 'unexpected', httpStatus: 500 },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCodes;

/** Where in the input a problem was found: all parts optional, printed as `file:line: field`. */
export interface InputLocation {
  readonly file?: string;
  readonly line?: number;
  /** A dotted/bracketed path into the record, e.g. `evidence[1].fileDetails.sha256`. */
  readonly field?: string;
}

export class AutoirError extends Error {
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: InputLocation; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutoirError';
    this.code = code;
    this.location = options.location;
    this.details = options.details;
  }

  get family(): ErrorFamily {
    return errorCodes[this.code].family;
  }

  get httpStatus(): number {
    return errorCodes[this.code].httpStatus;
  }
}

export function isAutoirError(error: unknown): error is AutoirError {
  return error instanceof AutoirError;
}

/** `file:line: field: message`, leaving out the parts that are unknown. */
export function formatLocation(location: InputLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file !== undefined)
    parts.push(location.line === undefined ? location.file : `${location.file}:${location.line}`);
  else if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.field !== undefined && location.field !== '') parts.push(`field ${location.field}`);
  return parts.join(': ');
}

/** Exit code of the CLI for an error: 2 for user errors, 1 for everything else. */
export function exitCodeFor(error: unknown): 1 | 2 {
  return isAutoirError(error) && error.family === 'user' ? 2 : 1;
}

export function badInput(message: string, location?: InputLocation, details?: unknown): AutoirError {
  return new AutoirError('AUTOIR_E_BAD_INPUT', message, { location, details });
}
