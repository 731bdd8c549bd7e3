/**
 * A mail corpus written for the tests, in place of real phishing e-mails that may not be copied into the
 * repository: one campaign (seven messages from a look-alike of a Microsoft sender, each with its own tracking
 * link) and 29 unrelated messages from other senders — newsletters, shipping notices, invoices — in the encodings
 * real mail uses (quoted-printable, base64, encoded-word subjects, multipart with attachments). Deterministic.
 */

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedData } from './shared-data.js';

export interface RawMessage {
  readonly name: string;
  readonly raw: string;
}

const CRLF = '\r\n';

/** RFC 2047 encoded-word (UTF-8, base64) for a header value that is not plain ASCII. */
function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

/** Quoted-printable body (RFC 2045): `=XX` for what is not printable ASCII, soft breaks under 76 characters. */
function quotedPrintable(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let encoded = '';
    for (const byte of Buffer.from(line)) {
      const char = String.fromCharCode(byte);
      encoded +=
        byte === 0x3d || byte > 0x7e || (byte < 0x20 && byte !== 0x09)
          ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}`
          : char;
    }
    while (encoded.length > 75) {
      let cut = 75;
      // Never split an =XX escape.
      if (encoded[cut - 1] === '=') cut -= 1;
      else if (encoded[cut - 2] === '=') cut -= 2;
      lines.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    lines.push(encoded);
  }
  return lines.join(CRLF);
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

interface Spec {
  readonly from: string;
  readonly fromName: string;
  readonly to: string;
  readonly subject: string;
  readonly date: Date;
  readonly messageId: string;
  readonly ip: string;
  readonly url: string;
  readonly text: string;
  readonly encoding: 'quoted-printable' | 'base64' | '8bit';
  readonly attachment?: { readonly name: string; readonly type: string; readonly bytes: Buffer };
}

function message(spec: Spec): string {
  const domain = spec.from.slice(spec.from.indexOf('@') + 1);
  const html =
    `<html><body><p>${spec.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` +
    `<p><a href="${spec.url.replace(/&/g, '&amp;')}">Open</a></p></body></html>`;
  const body = (content: string) =>
    spec.encoding === 'quoted-printable'
      ? quotedPrintable(content)
      : spec.encoding === 'base64'
        ? base64Lines(Buffer.from(content))
        : content.replace(/\n/g, CRLF);
  const headers = [
    `Received: from mail.${domain} (mail.${domain} [${spec.ip}])`,
    `\tby mx1.corp.example (Postfix) with ESMTP id ${spec.messageId.slice(0, 8).toUpperCase()}`,
    `\tfor <${spec.to}>; ${spec.date.toUTCString().replace('GMT', '+0000')}`,
    `Authentication-Results: mx1.corp.example; spf=${spec.from.includes('rnicrosoft') ? 'softfail' : 'pass'} smtp.mailfrom=${domain}`,
    `From: "${spec.fromName}" <${spec.from}>`,
    `To: ${spec.to}`,
    `Subject: ${encodedWord(spec.subject)}`,
    `Date: ${spec.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${spec.messageId}>`,
    'MIME-Version: 1.0',
  ];
  const alternative = [
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset="utf-8"',
    `Content-Transfer-Encoding: ${spec.encoding}`,
    '',
    body(`${spec.text}\n\n${spec.url}\n`),
    '--alt',
    'Content-Type: text/html; charset="utf-8"',
    `Content-Transfer-Encoding: ${spec.encoding}`,
    '',
    body(html),
    '--alt--',
  ];
  const parts = spec.attachment
    ? [
        'Content-Type: multipart/mixed; boundary="mixed"',
        '',
        '--mixed',
        ...alternative,
        '--mixed',
        `Content-Type: ${spec.attachment.type}; name="${spec.attachment.name}"`,
        `Content-Disposition: attachment; filename="${spec.attachment.name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(spec.attachment.bytes),
        '--mixed--',
      ]
    : alternative;
  return [...headers, ...parts, ''].join(CRLF);
}

const OTHERS: readonly [fromName: string, from: string, subject: string][] = [
  ['Parcel Service', 'tracking@parcel-notify.example', 'Your parcel 48213 is on its way'],
  ['Gartenwelt', 'news@gartenwelt-shop.example', 'Frühlingsangebote: 20 % auf alle Samen'],
  ['City Library', 'loans@citylibrary.example', 'Two of your loans are due on Friday'],
  ['Acme Payroll', 'payroll@acme-payroll.example', 'Your February payslip is ready'],
  ['Travel Desk', 'bookings@travel-desk.example', 'Booking confirmed: Lisbon, 14–18 April'],
  ['Fitness Club', 'hello@fitclub.example', 'New classes this month'],
  ['Conference Team', 'cfp@secconf.example', 'Call for papers closes in one week'],
  ['Bank Notices', 'notices@northbank.example', 'Your statement for February'],
  ['Recruiting', 'talent@hire-fast.example', 'A role that matches your profile'],
  ['Kochschule', 'kurse@kochschule.example', 'Ihr Kochkurs am Samstag'],
  ['Utility Co', 'billing@utility-power.example', 'Meter reading reminder'],
  ['Open Source Weekly', 'digest@oss-weekly.example', 'This week: 12 releases you missed'],
  ['Hotel Central', 'reservations@hotel-central.example', 'Prepare your stay'],
  ['IT Helpdesk', 'helpdesk@corp-services.example', 'Scheduled maintenance on Sunday'],
  ['Airline', 'checkin@fly-airline.example', 'Check-in is open for flight FA 221'],
  ['Cloud Storage', 'noreply@cloudbox-storage.example', 'Your shared folder has 3 new files'],
  ['École de langues', 'inscription@ecole-langues.example', 'Votre inscription est confirmée'],
  ['Charity Run', 'team@charity-run.example', 'Start numbers are out'],
  ['Book Store', 'orders@bookstore-online.example', 'Order 77120 shipped'],
  ['Pet Shop', 'care@petshop.example', 'Time to reorder food for Max?'],
  ['Survey Team', 'research@survey-panel.example', 'Five minutes for a short survey'],
  ['Municipal Office', 'service@town-hall.example', 'Your appointment on 12 March'],
  ['Insurance', 'contracts@insure-well.example', 'Annual policy summary'],
  ['Print Shop', 'jobs@printshop.example', 'Proof ready for approval'],
  ['Car Rental', 'rentals@drive-rent.example', 'Your rental agreement'],
  ['Music Stream', 'hello@stream-music.example', 'Your year in music'],
  ['Webinar Host', 'events@webinar-host.example', 'Recording of yesterday’s webinar'],
  ['Dentist Office', 'appointments@smile-dental.example', 'Reminder: check-up next Tuesday'],
  ['Alumni Office', 'alumni@university.example', 'Reunion weekend: save the date'],
];

/** The corpus: the campaign's seven messages and 29 others, named `corpus-NN.eml`. */
export function generatedMailCorpus(): RawMessage[] {
  const base = Date.parse('2026-02-27T09:00:00Z');
  const out: RawMessage[] = [];
  for (let index = 0; index < 7; index++) {
    const token = `k${(7919 * (index + 3)).toString(36)}x${index}`;
    out.push({
      name: `corpus-${String(out.length).padStart(2, '0')}.eml`,
      raw: message({
        from: 'security-alert@rnicrosoft-365.example',
        fromName: 'Microsoft 365 Security',
        to: 'undisclosed-recipients@corp.example',
        subject: `Action required: your mailbox storage is full (ref ${4100 + index * 37})`,
        date: new Date(base + index * 47 * 60_000),
        messageId: `${(base + index).toString(36)}.${index}@rnicrosoft-365.example`,
        ip: '198.51.100.40',
        url: `https://mailbox-verify.rnicrosoft-365.example/m/${token}?lang=en&step=1`,
        text: 'Your mailbox has exceeded its storage limit. Verify your account within 24 hours to keep receiving mail.',
        encoding: index % 2 === 0 ? 'quoted-printable' : 'base64',
        ...(index === 3
          ? {
              attachment: {
                name: 'Mailbox-Quota-Notice.html',
                type: 'text/html',
                bytes: Buffer.from('<form action="https://mailbox-verify.rnicrosoft-365.example/p">'),
              },
            }
          : {}),
      }),
    });
  }
  OTHERS.forEach(([fromName, from, subject], index) => {
    const domain = from.slice(from.indexOf('@') + 1);
    out.push({
      name: `corpus-${String(out.length).padStart(2, '0')}.eml`,
      raw: message({
        from,
        fromName,
        to: 'undisclosed-recipients@corp.example',
        subject,
        date: new Date(base + (index + 1) * 3_600_000),
        messageId: `m${index}.${(base + index * 7).toString(36)}@${domain}`,
        ip: `203.0.113.${10 + index}`,
        url: `https://www.${domain}/view/${index}?utm_source=mail`,
        text: `${subject}. Thank you for being with us — details are in your account.`,
        encoding: (['quoted-printable', 'base64', '8bit'] as const)[index % 3] as Spec['encoding'],
        ...(index % 5 === 0
          ? {
              attachment: {
                name: `document-${index}.pdf`,
                type: 'application/pdf',
                bytes: Buffer.from(`%PDF-1.4\n% ${subject}\n%%EOF\n`),
              },
            }
          : {}),
      }),
    });
  });
  return out;
}

/** The 112 real messages of phishing_pot (extended suite: read in place from the shared data, never copied). */
export function phishingPot(): RawMessage[] {
  const dir = sharedData('phishing_pot/eml');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(path.join(dir, name), 'latin1') }));
}

/** The From address of a raw message, for choosing messages in a test (the engine reads them its own way). */
export function fromOf(raw: string): string {
  const header = /^From:\s*(.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? '';
  return (/<([^<>@\s]+@[^<>\s]+)>/.exec(header)?.[1] ?? header.trim()).toLowerCase();
}
