/**
 * Every kind of connector autoir has: an explicit list, not a folder scan. A new kind is a folder
 * (`connectors/<kind>/`) and a line here.
 */
import type { ConnectorDefinition } from './connector.js';
import { commandConnector } from './command/command.js';
import { directoryConnector } from './directory/directory.js';
import { mailboxConnector } from './mailbox/mailbox.js';
import { webhookConnector } from './webhook/webhook.js';

export const connectorKinds: readonly ConnectorDefinition[] = [
  webhookConnector,
  commandConnector,
  directoryConnector,
  mailboxConnector,
];

/** The definition of a kind (`webhook`, `command`), or `undefined` for a kind autoir does not have. */
export function findConnectorKind(kind: string): ConnectorDefinition | undefined {
  return connectorKinds.find((definition) => definition.kind === kind);
}
