/**
 * The web UI's static files (built by Vite into dist/web): served at `/`, with `index.html` for every path the
 * single-page app routes itself (`/incidents/inc_3`…). Hashed assets are cached for a year; `index.html` never.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Where the built UI is: dist/web beside this file's package. */
export function defaultWebRoot(): string {
  return path.resolve(import.meta.dirname, '../../web');
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

export function registerStatic(app: FastifyInstance, root: string): boolean {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) return false;
  app.get('/*', async (request, reply) => {
    const url = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/\/+$/, '') || '/');
    if (url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'AUTOIR_E_NOT_FOUND', message: `no route GET ${url}` } });
    }
    const file = path.join(root, path.normalize(url).replace(/^(\.\.(\/|\\|$))+/, ''));
    const inside = file.startsWith(root + path.sep);
    const isFile = inside && existsSync(file) && statSync(file).isFile();
    const target = isFile ? file : index;
    const type = TYPES[path.extname(target)] ?? 'application/octet-stream';
    void reply
      .headers(SECURITY_HEADERS)
      .header('content-type', type)
      .header(
        'cache-control',
        isFile && url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    return reply.send(readFileSync(target));
  });
  return true;
}
