/**
 * E-mail messages: two written for these tests (test/fixtures/email: a look-alike invoice with quoted-printable
 * text and HTML, an encoded subject, defanged and CSS URLs and two attachments; a From that does not split), and,
 * in the extended suite, 112 real ones from phishing_pot (its licence forbids copying them here). Attachment hashes
 * and the phishing_pot values were checked against an independent extraction (Python's `email` package: decoded
 * parts, hrefs and text URLs, attachment bytes hashed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData, fixture, sharedData } from '../../../test/helpers/shared-data.js';
import type { EventDraft } from '../../domain/event.js';
import { emailEventDraft, extractUrls, looksLikeEmail, type EmailDetails } from './email.js';

const details = (draft: EventDraft) => draft.details as unknown as EmailDetails;

describe('e-mail messages written for the tests', () => {
  const read = (name: string) => emailEventDraft(readFileSync(fixture('email', name)));

  it('reads sender, addressees, reply-to, return path, Message-ID, subject, sending IP and authentication', async () => {
    const draft = await read('invoice-lookalike.eml');
    expect(draft).toMatchObject({
      kind: 'emailDelivered',
      time: Date.parse('2026-03-01T08:14:02Z'),
      mailSender: 'no-reply@rnicrosoft-billing.example',
      mailRecipients: ['alice@corp.example', 'bob@corp.example'],
      mailMessageId: '20260301081402.4471.a1b2@rnicrosoft-billing.example',
      mailSubject: 'Rechnung überfällig – Konto wird gesperrt ⚠',
      srcIp: '198.51.100.23',
      domain: 'rnicrosoft-billing.example',
    });
    expect(details(draft)).toMatchObject({
      replyTo: ['billing-desk@mailbox-collect.example'],
      returnPath: 'bounce-4471@rnicrosoft-billing.example',
      spf: 'softfail',
      dkim: 'none',
      dmarc: 'fail',
    });
  });

  it('finds every URL — defanged, in hrefs and images, in CSS — once, and hashes every attachment', async () => {
    const draft = await read('invoice-lookalike.eml');
    const urls = [
      'https://pay-portal.example/inv?id=4471',
      'http://www.help-center.example/faq',
      // Two hrefs differing only in their fragment: one URL.
      'https://pay-portal.example/inv?id=4471&src=mail',
      'https://cdn.rnicrosoft-billing.example/px.gif',
      'https://cdn.rnicrosoft-billing.example/bg.png',
    ];
    expect([...details(draft).urls].sort()).toEqual([...urls].sort());
    const attachments = [
      ['Rechnung 4471.pdf', 'bc7fad5bed82683df262063e7de23512c27715ee0d1a42479f26dd4e49583d31', 121],
      ['empty.txt', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0],
    ];
    expect(details(draft).attachments.map((item) => [item.name, item.sha256, item.size])).toEqual(
      attachments,
    );
    expect(draft.keys).toEqual(
      expect.arrayContaining([
        'mailbox:no-reply@rnicrosoft-billing.example',
        'mailbox:alice@corp.example',
        'mailbox:bob@corp.example',
        'mailbox:billing-desk@mailbox-collect.example',
        'mailMessage:20260301081402.4471.a1b2@rnicrosoft-billing.example',
        'ip:198.51.100.23',
        'domain:pay-portal.example',
        ...urls.map((url) => `url:${url}`),
        ...attachments.map(([, sha256]) => `file:sha256:${sha256 as string}`),
      ]),
    );
  });

  it('takes the address out of a From that does not split cleanly', async () => {
    const draft = await read('broken-from.eml');
    expect(draft).toMatchObject({
      mailSender: 'no-reply@access-accsecure.example',
      mailRecipients: ['carol@corp.example'],
      srcIp: '203.0.113.77',
    });
    expect(details(draft).urls).toEqual(['http://signin.access-accsecure.example/review?u=carol']);
  });
});

describeWithSharedData('e-mail messages (phishing_pot)', () => {
  const dir = sharedData('phishing_pot/eml');
  const read = (name: string) => emailEventDraft(readFileSync(path.join(dir, name)));

  it('parses all 112 messages into delivered-message events', async () => {
    const names = readdirSync(dir).filter((name) => name.endsWith('.eml'));
    expect(names).toHaveLength(112);
    for (const name of names) {
      const draft = await read(name);
      expect(draft.kind, name).toBe('emailDelivered');
      expect(draft.mailSender ?? draft.mailRecipients?.[0], name).toBeDefined();
      expect(Number.isFinite(draft.time), name).toBe(true);
    }
  });

  it('reads sender, recipients, reply-to, Message-ID, sending IP and authentication results', async () => {
    const draft = await read('sample-1018.eml');
    expect(draft).toMatchObject({
      mailSender: 'otto-newsletter@newsletter.otto.de',
      mailRecipients: ['phishing@pot'],
      mailMessageId: 'nwogmvh.51089.452+=phishing@pot@winner-win.art',
      mailSubject: 'Individuelle Prognose für schnellen Gewichtsverlust ✅🎊',
      srcIp: '80.96.157.91',
    });
    expect(details(draft)).toMatchObject({
      replyTo: ['reply_to@winner-win.art'],
      spf: 'softfail',
      dkim: 'none',
    });
    expect(draft.keys).toEqual(
      expect.arrayContaining([
        'mailbox:otto-newsletter@newsletter.otto.de',
        'mailbox:phishing@pot',
        'mailbox:reply_to@winner-win.art',
        'mailMessage:nwogmvh.51089.452+=phishing@pot@winner-win.art',
        'ip:80.96.157.91',
      ]),
    );
  });

  it('takes the address out of a From that does not split cleanly', async () => {
    expect((await read('sample-1027.eml')).mailSender).toBe('no-reply@access-accsecurity.com');
  });

  const attachments: Record<string, [name: string, sha256: string, size: number][]> = {
    'sample-5678.eml': [
      ['emails-T45VO8ay1q.ics', 'ff7a997262204510cb2bbacb0ced99ae1566b4b13eb0699fb64242e4ded6900f', 5214],
      ['carddav-69HA3.ics', '8a257e89648640a40bf72f6baf23f979c844bd163ab8358a6f58fe7684ddd521', 5062],
      ['caldav-VzUdn2.ics', '9124e17f263fc56c8cc108a9713405e9d619effa7b5a0915eea83e5a1ea20361', 6126],
    ],
    'sample-6637.eml': [
      ['xaofq-_-12530.pdf', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0],
      ['afzwi-_-43936.pdf', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 0],
    ],
    'sample-898.eml': [
      [
        'amz-document-casereport-VYQNBYRQ.pdf',
        '162d7e9b07db0f55fecbc9b9f20a3071dde278cce08be2eb708377c1f09bf180',
        35185,
      ],
    ],
    'sample-992.eml': [
      ['Coinbase -15392.docx', 'a1790a4e09be26f1824f27118b12547f5ea097883f15029532bfc2d1d6610fc4', 17627],
    ],
    'sample-544.eml': [
      [
        'atualizacao de pontos 3092.pdf',
        'c9a64837c29f3c8c614b4428c18ced9afaf019d6a1ed3d6981983fd8118d4bff',
        85250,
      ],
    ],
  };

  const urls: Record<string, string[]> = {
    'sample-5678.eml': [
      'http://mail.ultrahealth.co.tz:2079/',
      'http://mail.ultrahealth.co.tz:2079/addressbooks/tapcapor/addressbook',
      'http://mail.ultrahealth.co.tz:2079/calendars/tapcapor/calendar',
      'https://billpay.ultrahealth.co.tz/en-us',
      'https://mail.ultrahealth.co.tz:2080/',
      'https://mail.ultrahealth.co.tz:2080/addressbooks/tapcapor/addressbook',
      'https://mail.ultrahealth.co.tz:2080/calendars/tapcapor/calendar',
    ],
    'sample-6637.eml': [
      'http://calendar.lashstarbeauty.com/4MjBZJ4142jNvk2101pahphosvtk4488GHURPCJFRSOQBHF204BNJX231393g15',
      'http://calendar.lashstarbeauty.com/4QErYs4142ORCU2101tsdydhigrf4488JWMNPUQMNHXPCAV204OZBA231393b15',
      'http://calendar.lashstarbeauty.com/5kDEtq4142TUGw2101rmnnfsuwbm4488MLLBXZPAKCHIIII204NFYJ231393V15',
    ],
    'sample-898.eml': [],
    'sample-992.eml': [],
    'sample-544.eml': ['https://go.microsoft.com/fwlink/?LinkId=550986'],
    'sample-1078.eml': [
      'http://bsq2.firiri.shop/TUM5di8zU0t1cjRTOXZoL2czYm1Sa2JxdnlPUFZzTUJ5K3l1dG5vdnY3bTZsS081OHN2ZEdZNEtjSDFuSk5DeFRram4zK3I1MkdNdG05RFVYOHh4YlE9PQ__',
      'http://bsq2.firiri.shop/VldubU9SK0Zvc2d2MGpqS2tad3FGNjNCOHR5U25ETGhTcGI4T3gwM3luNDlIOEdyYnI1SDhwVDd3RGpMZUx3TVlOamZsWkorYWw3dHduRVAzcHhUSEE9PQ__',
      'http://bsq2.firiri.shop/eEUydzU2QjFjRnlJZHp2SXV4WWZEckZuQ0YrTEQ4QjFSS1lZM0VuVi8yd3ppRzlSMzhrMEQySnMvK1liU1VwMm51WDB2TTFjZ2pEM25aRTJtbStJZEE9PQ__',
      'https://t.co/gDHura2rGc',
    ],
    'sample-4004.eml': [
      'http://topmarktingplace.com/4DAwfH34338KQOe461ojpownstgj14302AVRMYXAFRPKEGYB2MSUR6277Y10',
      'http://topmarktingplace.com/4zYvei34338cBgY461bhnwdesvrx14302VMIHJNDOIGYHXTT2RYPJ6277k10',
      'https://sf22.sendsfx.com/admin/temp/user/2/eurothemepark-header-de.png',
      // Two hrefs differing only in their fragment: one URL once the fragment is dropped.
      'https://storage.googleapis.com/koin/topmarktingplace.html',
    ],
    'sample-110.eml': [
      'https://i.imgur.com/jINhmNe.png',
      'https://i.imgur.com/s8QR495.png',
      'https://rb.gy/ogf5yo',
      'https://rb.gy/xzdpmg',
    ],
    'sample-3789.eml': [
      'http://162.0.228.240/track/3OAdcx4922oeMY196whycuvoset308ZJACWBWEBOSWVSJ707QDTL1802885s9',
      'https://i.postimg.cc/wM152s71/Screenshot-2024-08-23-at-00-47-43.png',
      'https://t.co/Gw3GbkQ64O',
      'https://zupimages.net/up/24/35/66zi.png',
    ],
  };

  it.each(Object.keys(urls))('%s: every URL, de-obfuscated, and every attachment hashed', async (name) => {
    const draft = await read(name);
    expect([...details(draft).urls].sort()).toEqual([...(urls[name] as string[])].sort());
    expect(details(draft).attachments.map((item) => [item.name, item.sha256, item.size])).toEqual(
      attachments[name] ?? [],
    );
    for (const [, sha256] of attachments[name] ?? []) expect(draft.keys).toContain(`file:sha256:${sha256}`);
    for (const url of urls[name] as string[]) expect(draft.keys).toContain(`url:${url}`);
  });

  it('sample-1022.eml: 48 URLs from the HTML, CSS url(...) included, without their closing parenthesis', async () => {
    const found = details(await read('sample-1022.eml')).urls;
    expect(found).toHaveLength(48);
    expect(found.some((url) => url.endsWith(')'))).toBe(false);
  });
});

describe('URL extraction', () => {
  it('de-obfuscates hrefs and defanged text', () => {
    expect(
      extractUrls(
        'see hxxps://evil[.]example/login and www.example.org/x.',
        '<a href="http://a.example/?x=1&amp;y=2">here</a>',
      ),
    ).toEqual(['https://evil.example/login', 'http://www.example.org/x', 'http://a.example/?x=1&y=2']);
  });

  it('tells an e-mail from other documents by its name or its first header', () => {
    expect(looksLikeEmail('x.eml', '{')).toBe(true);
    expect(looksLikeEmail(undefined, 'Received: from mx.example.com')).toBe(true);
    expect(looksLikeEmail(undefined, '{"Received": 1}')).toBe(false);
    expect(looksLikeEmail('conn.log', '#separator \\x09')).toBe(false);
  });
});
