/**
 * Mailbox rules: inbox rules and forwarding created or changed around the investigation (Microsoft 365 audit
 * `mailboxRule` events). Forwarding to another organisation and rules that hide messages are what attackers set
 * up after taking over a mailbox.
 */
import type { MailboxEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, focusTime, nothing, type Analyzer, type RelatedEntity } from './analyzer.js';
import { createMailbox } from '../../domain/entity-builders.js';

const DAY = 86_400_000;
/** Folders rules hide messages in. */
const HIDING_FOLDERS = /rss|archive|conversation history|junk|deleted/i;

interface RuleDetails {
  readonly operation?: string;
  readonly forwardTo?: readonly string[];
  readonly deletes?: boolean;
  readonly moveToFolder?: string;
  readonly words?: string;
}

export const mailboxRulesAnalyzer: Analyzer = {
  name: 'mailboxRules',
  types: ['mailbox', 'user'],
  async analyze(evidence, context) {
    const focus = focusTime(context);
    const page = await context.events.searchEvents(
      {
        entityKeys: [evidence.key],
        kinds: ['mailboxRule'],
        since: new Date(focus - 30 * DAY).toISOString(),
        until: new Date(focus + DAY).toISOString(),
      },
      { limit: 200, order: 'asc' },
    );
    if (page.items.length === 0) return nothing;
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    for (const event of page.items) {
      const owner =
        evidence.type === 'mailbox' ? (evidence.entity as MailboxEntity).address : event.mailRecipients?.[0];
      // Rules on another mailbox than this one (an admin's change found through the user) are its mailbox's story.
      if (evidence.type === 'mailbox' && event.mailRecipients?.[0] && event.mailRecipients[0] !== owner)
        continue;
      const ownDomain = owner?.slice(owner.indexOf('@') + 1);
      const details = (event.details ?? {}) as RuleDetails;
      const rule = `${details.operation ?? event.code}${event.targetPath ? ` "${event.targetPath}"` : ''} at ${event.time}`;
      for (const address of details.forwardTo ?? []) {
        const external = ownDomain !== undefined && !address.endsWith(`@${ownDomain}`);
        findings.push(
          finding(
            'mailboxRules',
            external ? 45 : 5,
            `forwards mail to ${external ? 'an outside address' : 'an internal address'} ${address} (${rule})`,
          ),
        );
        const target = createMailbox({ address });
        if (target && external) related.push({ entity: target, relation: 'forwardsTo', join: 'always' });
      }
      const hides =
        details.deletes || (details.moveToFolder !== undefined && HIDING_FOLDERS.test(details.moveToFolder));
      if (hides)
        findings.push(
          finding(
            'mailboxRules',
            25,
            `hides messages: ${details.deletes ? 'deletes' : `moves to "${details.moveToFolder}"`} ${details.words ? `those containing "${details.words}"` : 'them'} (${rule})`,
          ),
        );
    }
    return { findings, related };
  },
};
