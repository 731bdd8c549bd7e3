/**
 * The Sieve script autoir keeps for blocked senders: addresses and domains whose mail is filed into a folder (Junk
 * by default) instead of the inbox. The list is kept inside the script itself, in a comment line autoir reads back,
 * so the script on the server is the only state. RFC 5228 (Sieve), RFC 3894 / 5490 (`fileinto :create` needs
 * "mailbox").
 */

const marker = '# autoir-blocked: ';

/** A blocked sender: `a@b.example` (an address) or `@b.example` (a whole domain). */
export type BlockedSender = string;

/** The blocked senders a script of autoir's lists (none for an empty or foreign script). */
export function blockedSenders(script: string | undefined): BlockedSender[] {
  const line = script?.split(/\r?\n/).find((item) => item.startsWith(marker));
  if (!line) return [];
  try {
    const value: unknown = JSON.parse(line.slice(marker.length));
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** A Sieve string literal: quotes and backslashes escaped (RFC 5228 §2.4.2). */
function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** The script that files mail from `senders` into `folder` and stops. */
export function blocklistScript(senders: readonly BlockedSender[], folder: string): string {
  const sorted = [...new Set(senders)].sort();
  const addresses = sorted.filter((sender) => !sender.startsWith('@'));
  const domains = sorted.filter((sender) => sender.startsWith('@')).map((sender) => sender.slice(1));
  const tests = [
    ...(addresses.length ? [`address :is "from" [${addresses.map(quoted).join(', ')}]`] : []),
    ...(domains.length ? [`address :domain :is "from" [${domains.map(quoted).join(', ')}]`] : []),
  ];
  const lines = [
    '# Senders blocked by autoir (blockSender; unblockSender undoes it). Managed by autoir: edits are replaced.',
    `${marker}${JSON.stringify(sorted)}`,
    'require ["fileinto", "mailbox"];',
  ];
  if (tests.length > 0)
    lines.push(`if anyof (${tests.join(', ')}) {`, `  fileinto :create ${quoted(folder)};`, '  stop;', '}');
  return `${lines.join('\r\n')}\r\n`;
}

/** The blocked-sender entry for a target: `mailbox:a@b.example` → `a@b.example`, `domain:b.example` → `@b.example`. */
export function senderOf(targetKey: string): BlockedSender | undefined {
  if (targetKey.startsWith('mailbox:')) {
    const address = targetKey.slice('mailbox:'.length).toLowerCase();
    return /^[^\s@"\\]+@[^\s@"\\]+$/.test(address) ? address : undefined;
  }
  if (targetKey.startsWith('domain:')) {
    const domain = targetKey.slice('domain:'.length).toLowerCase();
    return /^[a-z0-9.-]+$/.test(domain) ? `@${domain}` : undefined;
  }
  return undefined;
}
