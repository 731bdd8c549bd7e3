/** Scripts autoir's worker threads run: composed in `src/app`, so that the stages they join need not know each other. */

/** Ingest's parse threads (parse-thread.ts): parsing with detect's matcher. */
export const parseThreadScript = new URL('./parse-thread.js', import.meta.url);
