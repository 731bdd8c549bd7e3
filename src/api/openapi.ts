/**
 * The OpenAPI 3.1 document, generated from the route table so that it cannot drift from what the server does.
 */
import { z } from 'zod';
import { errorSchema, type RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(schema: z.ZodType | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...(location === 'query' && rest.type === 'array' ? { style: 'form', explode: false } : {}),
    };
  });
}

export function buildOpenApi(routes: readonly RouteSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses: Object.fromEntries(
        Object.entries({
          ...route.responses,
          ...(route.role
            ? {
                401: { description: 'No valid bearer token or session.', schema: errorSchema },
                403: {
                  description: `Needs the ${route.role} role${route.method === 'GET' ? '' : '; with a session cookie, also the x-csrf-token header (AUTOIR_E_CSRF)'}.`,
                  schema: errorSchema,
                },
              }
            : {}),
        }).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { 'application/json': { schema: toSchema(response.schema) } } }
              : {}),
          },
        ]),
      ),
      ...(route.role
        ? { security: [{ bearer: [] }, { session: [] }], 'x-autoir-role': route.role }
        : { security: [] }),
    };
    if (route.body) {
      operation.requestBody =
        'raw' in route.body
          ? {
              required: true,
              description: route.body.description,
              content: Object.fromEntries(
                route.body.contentTypes.map((type) => [type, { schema: { type: 'string' } }]),
              ),
            }
          : {
              required: true,
              content: { 'application/json': { schema: toSchema(route.body as z.ZodType) } },
            };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'autoir API',
      version,
      description:
        'Automated investigation and response. Every route except health and sign-in needs `Authorization: Bearer <token>`, or the session cookie of `POST /api/v1/session` (then every write also needs `x-csrf-token`).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `autoir token create`.' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'autoir_session',
          description:
            "The web UI: the cookie `POST /api/v1/session` sets. Every request other than GET and HEAD made with it must send the session's `csrfToken` in the `x-csrf-token` header.",
        },
      },
    },
    paths,
  };
}
