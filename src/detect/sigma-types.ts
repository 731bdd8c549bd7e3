/** What the Sigma compiler and its value tests share: an event as rules read it, compile options, and the error a rule that cannot be compiled raises. */

/** An event as rules see it: its fields by name (Sysmon / Windows names), and its text for keyword searches. */
export interface SigmaEvent {
  /** The value of a field, or `undefined` when the event has no such field. */
  get(field: string): string | undefined;
  /** Every field value, for keyword searches. */
  values(): readonly string[];
  /**
   * The value of a field in lower case, kept once computed: hundreds of rules read the same few fields of an
   * event case-insensitively. Optional; `get(field).toLowerCase()` otherwise.
   */
  lower?(field: string): string | undefined;
}

export class SigmaError extends Error {
  constructor(
    readonly kind: 'error' | 'unsupported',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface CompileOptions {
  /** Values for `|expand` placeholders (`%name%`). A placeholder without values makes the rule unsupported. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}
