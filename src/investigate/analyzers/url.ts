/**
 * URL analyzers: what the address looks like (a bare IP, punycode, a brand name on someone else's domain, a page on
 * a free host or storage bucket) and who clicked it (URL click events and HTTP requests from devices): clickers'
 * devices and users always join the investigation.
 */
import { type UrlEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, type Analyzer, type RelatedEntity } from './analyzer.js';
import { createDevice, createUser } from '../../domain/entity-builders.js';

const BRANDS = [
  'microsoft',
  'office365',
  'outlook',
  'onedrive',
  'sharepoint',
  'paypal',
  'apple',
  'icloud',
  'amazon',
  'google',
  'netflix',
  'docusign',
  'dhl',
  'fedex',
  'wellsfargo',
  'chase',
  'linkedin',
  'facebook',
  'instagram',
  'adobe',
  'dropbox',
];
const FREE_HOSTS =
  /(?:^|\.)(?:storage\.googleapis\.com|firebasestorage\.googleapis\.com|web\.app|firebaseapp\.com|blob\.core\.windows\.net|s3\.amazonaws\.com|000webhostapp\.com|weebly\.com|wixsite\.com|github\.io|glitch\.me|ngrok\.io|pages\.dev|workers\.dev|r2\.dev)$/;

/** The registrable part of a host name, roughly (last two labels; three for `co.uk`-style suffixes). */
function registrable(host: string): string {
  const labels = host.split('.');
  const short = labels.length >= 3 && /^(co|com|net|org|gov|ac|edu)$/.test(labels[labels.length - 2] ?? '');
  return labels.slice(short ? -3 : -2).join('.');
}

export const urlAnalyzer: Analyzer = {
  name: 'url',
  types: ['url'],
  async analyze(evidence, context) {
    const url = new URL((evidence.entity as UrlEntity).url);
    const host = url.hostname.toLowerCase();
    const findings: Finding[] = [];
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('['))
      findings.push(finding('url', 20, `links to a bare IP address: ${host}`));
    if (host.split('.').some((label) => label.startsWith('xn--')))
      findings.push(
        finding('url', 20, `an internationalised (punycode) host name, a common lookalike trick: ${host}`),
      );
    const base = registrable(host);
    const text = `${host}${url.pathname}`.toLowerCase();
    // The brand's own domains (`google.com`, `googleapis.com`, `microsoftonline.com`) carry its name up front.
    const owner = base.split('.')[0] ?? '';
    const brand = BRANDS.find((name) => text.includes(name) && !owner.includes(name));
    if (brand) findings.push(finding('url', 25, `names ${brand} but is not on ${brand}'s domain: ${base}`));
    if (FREE_HOSTS.test(host) && /\.(?:html?|php)$/i.test(url.pathname))
      findings.push(
        finding('url', 15, `a web page on a free host or storage bucket: ${host}${url.pathname}`),
      );
    const clicks = await context.query.urlClicks(url.href);
    const related: RelatedEntity[] = [];
    const devices = new Set<string>();
    const users = new Set<string>();
    for (const click of clicks) {
      if (click.deviceKey) devices.add(click.deviceKey);
      if (click.userKey) users.add(click.userKey);
    }
    for (const key of [...devices].sort().slice(0, 100)) {
      const device = createDevice({ hostname: key.slice('device:'.length) });
      if (device) related.push({ entity: device, relation: 'clickedOn', join: 'always' });
    }
    for (const key of [...users].sort().slice(0, 100)) {
      const user = createUser({ name: key.slice('user:'.length) });
      if (user) related.push({ entity: user, relation: 'clickedBy', join: 'always' });
    }
    if (clicks.length > 0)
      findings.push(
        finding(
          'urlClicks',
          0,
          `opened ${clicks.length} times, by ${users.size} users on ${devices.size} devices`,
        ),
      );
    return { findings, related };
  },
};
