/**
 * The URL a connector's system posts an asynchronous result to: `AUTOIR_PUBLIC_URL` (how others reach this
 * server, e.g. `https://autoir.example.com`) + `/api/v1/actions/:id/result`; `null` when it is not set.
 */
export function callbackUrlFrom(
  env: Readonly<Record<string, string | undefined>>,
  fallbackBase?: string,
): (actionId: string) => string | null {
  const base = (env.AUTOIR_PUBLIC_URL || fallbackBase || '').replace(/\/+$/, '');
  return (actionId) => (base ? `${base}/api/v1/actions/${encodeURIComponent(actionId)}/result` : null);
}
