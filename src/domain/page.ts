/** A page of a list, and how to ask for one: lists are paged by an opaque cursor. */

export interface PageRequest {
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; `null` on the last page. */
  readonly nextCursor: string | null;
}
