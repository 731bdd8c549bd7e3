import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoirError } from '../domain/errors.js';
import {
  connectorConfigSchema,
  createConnector,
  loadConnectorFile,
  parseConnectorConfig,
  redactConnector,
  type ConnectorConfig,
} from './config.js';
import { connectorKinds, findConnectorKind } from './index.js';
import { verifyWebhookSignature } from './webhook/webhook.js';
import { connectorFor } from '../respond/routing.js';
import { outboundPolicy } from './outbound.js';
import { silentLog } from '../domain/log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'autoir-connectors-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;

function yamlFile(text: string): string {
  const file = path.join(dir, `connectors-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
}

function thrown(action: () => unknown): AutoirError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AutoirError);
    return error as AutoirError;
  }
  throw new Error('expected an error');
}

const twoConnectors = `
connectors:
  - name: edr
    kind: webhook
    actions: [isolateDevice, releaseDevice, killProcess]
    groups: [servers, workstations]
    timeout: 45s
    settings:
      url: https://edr.example.com/autoir
      secret: env:AUTOIR_TEST_EDR_SECRET
      headers:
        authorization: Bearer edr-api-token
  - name: local-scripts
    kind: command
    settings:
      command: /opt/autoir/active-response/run.sh
      args: [--verbose]
      env:
        FIREWALL_PASSWORD: hunter2-but-longer
`;

function config(overrides: Partial<ConnectorConfig> & { name: string }): ConnectorConfig {
  return parseConnectorConfig(
    { kind: 'command', settings: { command: '/usr/local/bin/respond' }, ...overrides },
    `connector ${overrides.name}`,
  );
}

describe('connector configuration', () => {
  it('loads a YAML file of two connectors, filling in the defaults', () => {
    const [edr, scripts] = loadConnectorFile(yamlFile(twoConnectors)) as [ConnectorConfig, ConnectorConfig];
    expect(edr).toEqual({
      name: 'edr',
      kind: 'webhook',
      actions: ['isolateDevice', 'releaseDevice', 'killProcess'],
      groups: ['servers', 'workstations'],
      timeout: '45s',
      enabled: true,
      settings: {
        url: 'https://edr.example.com/autoir',
        secret: 'env:AUTOIR_TEST_EDR_SECRET',
        headers: { authorization: 'Bearer edr-api-token' },
      },
    });
    expect(scripts).toEqual({
      name: 'local-scripts',
      kind: 'command',
      actions: ['*'],
      timeout: '30s',
      enabled: true,
      settings: {
        command: '/opt/autoir/active-response/run.sh',
        args: ['--verbose'],
        env: { FIREWALL_PASSWORD: 'hunter2-but-longer' },
      },
    });
  });

  it('names the file and the field of a mistake', () => {
    const file = yamlFile(
      twoConnectors.replace('url: https://edr.example.com/autoir', 'url: edr.example.com'),
    );
    const error = thrown(() => loadConnectorFile(file));
    expect(error.code).toBe('AUTOIR_E_BAD_INPUT');
    expect(error.message).toBe(`${file}: connectors[0].settings.url: an http:// or https:// URL`);
    expect(error.location).toEqual({ file, field: 'connectors[0].settings.url' });

    const cases: [string, string][] = [
      [twoConnectors.replace('kind: command', 'kind: ssh'), 'connectors[1].kind: unknown connector kind'],
      [
        twoConnectors.replace('killProcess]', 'killEverything]'),
        'connectors[0].actions[2]: unknown action type',
      ],
      [twoConnectors.replace('timeout: 45s', 'timeout: soon'), 'connectors[0].timeout: a duration like 30s'],
      [twoConnectors.replace('name: local-scripts', 'name: Local Scripts'), 'connectors[1].name: lowercase'],
      [
        twoConnectors.replace('name: local-scripts', 'name: edr'),
        'connectors[1].name: a second connector named "edr"',
      ],
      [
        twoConnectors.replace('args: [--verbose]', 'argv: [--verbose]'),
        'connectors[1].settings: Unrecognized key',
      ],
      [
        twoConnectors.replace('groups: [servers, workstations]', 'groups: []'),
        'connectors[0].groups: at least one',
      ],
      [
        twoConnectors.replace('[isolateDevice, releaseDevice, killProcess]', "['*', blockIp]"),
        'connectors[0].actions',
      ],
      ['connectors: {}', 'connectors: Invalid input'],
      ['', 'connectors: Invalid input'],
      ['connectors: [\n  - name: x\n  kind', 'not valid YAML'],
    ];
    for (const [text, expected] of cases) {
      const bad = yamlFile(text);
      expect(thrown(() => loadConnectorFile(bad)).message).toContain(`${bad}: ${expected}`);
    }
  });

  it('reports a file it cannot read', () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(thrown(() => loadConnectorFile(missing)).message).toMatch(new RegExp(`^${missing}: cannot read`));
  });

  it('hides every secret setting when redacted', () => {
    const [edr, scripts] = loadConnectorFile(yamlFile(twoConnectors)) as [ConnectorConfig, ConnectorConfig];
    expect(redactConnector(edr).settings).toEqual({
      url: 'https://edr.example.com/autoir',
      secret: '***',
      headers: { authorization: '***' },
    });
    expect(redactConnector(scripts).settings).toEqual({
      command: '/opt/autoir/active-response/run.sh',
      args: ['--verbose'],
      env: { FIREWALL_PASSWORD: '***' },
    });
    const shown = JSON.stringify([redactConnector(edr), redactConnector(scripts)]);
    expect(shown).not.toContain('edr-api-token');
    expect(shown).not.toContain('hunter2');
    expect(edr.settings.secret).toBe('env:AUTOIR_TEST_EDR_SECRET');
  });

  it('routes an action to the first enabled connector that takes its type and group', () => {
    const configs = [
      config({ name: 'disabled', actions: ['isolateDevice'], enabled: false }),
      config({ name: 'servers-edr', actions: ['isolateDevice', 'releaseDevice'], groups: ['servers'] }),
      config({ name: 'edr', actions: ['isolateDevice', 'releaseDevice'] }),
      config({ name: 'mail', actions: ['softDeleteEmail'], groups: ['executives'] }),
      config({ name: 'catch-all' }),
    ];
    expect(connectorFor(configs, 'isolateDevice', 'servers')?.name).toBe('servers-edr');
    expect(connectorFor(configs, 'isolateDevice', 'workstations')?.name).toBe('edr');
    expect(connectorFor(configs, 'releaseDevice', null)?.name).toBe('edr');
    expect(connectorFor(configs, 'softDeleteEmail', 'executives')?.name).toBe('mail');
    expect(connectorFor(configs, 'softDeleteEmail', 'everyone')?.name).toBe('catch-all');
    expect(connectorFor(configs, 'blockIp', null)?.name).toBe('catch-all');
    expect(connectorFor(configs.slice(0, 4), 'blockIp', null)).toBeUndefined();
  });

  it('reads an env:NAME secret from the environment when the connector is created', async () => {
    const [edr] = loadConnectorFile(yamlFile(twoConnectors)) as [ConnectorConfig];
    let headers: IncomingHttpHeaders = {};
    let body = '';
    const server = createServer((request, response) => {
      headers = request.headers;
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/autoir`;
    try {
      const secret = 'from-the-environment-0123456789';
      const connector = createConnector(
        {
          ...edr,
          settings: { ...edr.settings, url, headers: { authorization: 'env:AUTOIR_TEST_EDR_TOKEN' } },
        },
        { env: { AUTOIR_TEST_EDR_SECRET: secret, AUTOIR_TEST_EDR_TOKEN: 'Bearer from-env' } },
        outboundPolicy(['127.0.0.1/32']),
      );
      expect(connector).toMatchObject({ name: 'edr', kind: 'webhook', timeoutMs: 45_000 });
      const outcome = await connector.run(
        {
          id: 'act_1',
          type: 'isolateDevice',
          targetKey: 'device:ws-1',
          deviceKey: 'device:ws-1',
          parameters: {},
          investigationId: null,
          undoOf: null,
          idempotencyKey: 'act_1-k',
          attempt: 1,
          decidedBy: 'user:alice',
          callbackUrl: null,
        },
        { signal: AbortSignal.timeout(10_000), log: silentLog },
      );
      expect(outcome).toEqual({ status: 'succeeded' });
      expect(verifyWebhookSignature(secret, headers, body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(headers.authorization).toBe('Bearer from-env');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the variable of an env:NAME secret that is not set', () => {
    const [edr] = loadConnectorFile(yamlFile(twoConnectors)) as [ConnectorConfig];
    const error = thrown(() => createConnector(edr, { env: {} }));
    expect(error.message).toBe(
      'connector edr: settings.secret: the environment variable AUTOIR_TEST_EDR_SECRET is not set',
    );
    expect(thrown(() => createConnector(edr, { env: { AUTOIR_TEST_EDR_SECRET: 'short' } })).message).toMatch(
      /^connector edr: settings\.secret: at least 16 characters/,
    );
  });

  it('creates a command connector with its timeout', () => {
    const [, scripts] = loadConnectorFile(yamlFile(twoConnectors)) as [ConnectorConfig, ConnectorConfig];
    expect(createConnector(scripts, { env: {} })).toMatchObject({
      name: 'local-scripts',
      kind: 'command',
      timeoutMs: 30_000,
    });
  });

  it('takes the same configuration from the API as from a file', () => {
    const input = {
      name: 'edr',
      kind: 'webhook',
      settings: { url: 'https://edr.example/', secret: 'x'.repeat(16) },
    };
    expect(connectorConfigSchema.parse(input)).toEqual(parseConnectorConfig(input, 'request body'));
    expect(thrown(() => parseConnectorConfig({ ...input, colour: 'red' }, 'request body')).message).toBe(
      'request body: Unrecognized key: "colour"',
    );
  });

  it('lists each kind of connector once', () => {
    const kinds = connectorKinds.map((definition) => definition.kind);
    expect(kinds).toEqual(['webhook', 'command', 'ldap', 'imap']);
    expect(findConnectorKind('ldap')?.secrets).toEqual(['password']);
    expect(findConnectorKind('command')?.secrets).toEqual(['env']);
    expect(findConnectorKind('ssh')).toBeUndefined();
  });
});
