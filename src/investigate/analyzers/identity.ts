/**
 * Identity analyzers: a user's logons and sign-ins (brute force, password spray, first logons to devices) and an
 * address's failed logons across accounts. Windows Security 4624/4625/4648/4768/4769/4776, OCSF Authentication and
 * ECS authentication events all arrive as logon kinds (domain/event.ts).
 */
import { isBuiltInAccount, type IpEntity, type UserEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import type { GeoPoint, EventRecord } from '../../domain/event.js';
import { finding, focusTime, nothing, type Analyzer, type RelatedEntity } from './analyzer.js';
import { createDevice, createIp } from '../../domain/entity-builders.js';

/** Failures before a success from one address that read as guessing. */
const BRUTE_FORCE_FAILURES = 5;
/** Accounts one address failed on that read as a spray. */
const SPRAY_ACCOUNTS = 10;
/** Logons looked at around the investigation. */
const WINDOW_MS = 7 * 86_400_000;

/** Faster than this between two sign-ins is not travel (a fast airliner, with margin). */
const MAX_TRAVEL_KMH = 900;

function geoOf(event: EventRecord): GeoPoint | undefined {
  const geo = (event.details as { geo?: GeoPoint } | undefined)?.geo;
  return geo && Number.isFinite(geo.lat) && Number.isFinite(geo.lon) ? geo : undefined;
}

function place(event: EventRecord): string {
  const geo = geoOf(event) as GeoPoint;
  const name = [geo.city, geo.country].filter(Boolean).join(', ');
  return `${name || `${geo.lat.toFixed(2)}, ${geo.lon.toFixed(2)}`}${event.srcIp ? ` (${event.srcIp})` : ''}`;
}

/** Great-circle distance (haversine). */
function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const signInAnalyzer: Analyzer = {
  name: 'signIn',
  types: ['user'],
  async analyze(evidence, context) {
    const user = evidence.entity as UserEntity;
    if (isBuiltInAccount(user)) return nothing;
    const focus = focusTime(context);
    const logons = await context.query.userLogons(
      evidence.key,
      { since: new Date(focus - WINDOW_MS).toISOString(), until: new Date(focus + 86_400_000).toISOString() },
      5000,
    );
    if (logons.length === 0) return nothing;
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    const sorted = [...logons].sort((a, b) => a.time.localeCompare(b.time));

    // Brute force: a run of failures from one address, then a success from it.
    const failuresFrom = new Map<string, number>();
    const guessed = new Map<string, number>();
    for (const event of sorted) {
      const from = event.srcIp;
      if (!from) continue;
      if (event.kind === 'logonFailed' || event.outcome === 'failure')
        failuresFrom.set(from, (failuresFrom.get(from) ?? 0) + 1);
      else if (event.kind === 'logon' && (failuresFrom.get(from) ?? 0) >= BRUTE_FORCE_FAILURES)
        guessed.set(from, failuresFrom.get(from) as number);
    }
    for (const [from, failures] of guessed) {
      findings.push(
        finding(
          'signIn',
          40,
          `${failures} failed logons from ${from}, then a successful one: the password was guessed`,
        ),
      );
      const ip = createIp({ address: from });
      if (ip) related.push({ entity: ip, relation: 'signInFrom', roles: ['attacker'], join: 'always' });
    }
    const failedOnly = [...failuresFrom].filter(([from]) => !guessed.has(from));
    const failures = failedOnly.reduce((sum, [, count]) => sum + count, 0);
    if (failures >= BRUTE_FORCE_FAILURES)
      findings.push(
        finding(
          'signIn',
          10,
          `${failures} failed logons from ${failedOnly.map(([from]) => from).join(', ')}`,
        ),
      );
    for (const [from] of failedOnly.slice(0, 10)) {
      const ip = createIp({ address: from });
      if (ip) related.push({ entity: ip, relation: 'signInFrom', join: 'always' });
    }

    // Impossible travel: two successful sign-ins further apart than an airliner could fly in the time between.
    const located = sorted.filter(
      (event) => event.kind === 'logon' && event.outcome !== 'failure' && geoOf(event),
    );
    let worst: { from: EventRecord; to: EventRecord; km: number; speed: number } | undefined;
    for (let index = 1; index < located.length; index++) {
      const from = located[index - 1] as EventRecord;
      const to = located[index] as EventRecord;
      const km = distanceKm(geoOf(from) as GeoPoint, geoOf(to) as GeoPoint);
      const hours = Math.max((Date.parse(to.time) - Date.parse(from.time)) / 3_600_000, 1 / 60);
      const speed = km / hours;
      if (km > 500 && speed > MAX_TRAVEL_KMH && (!worst || speed > worst.speed))
        worst = { from, to, km, speed };
    }
    if (worst) {
      const minutes = Math.round((Date.parse(worst.to.time) - Date.parse(worst.from.time)) / 60_000);
      findings.push(
        finding(
          'signIn',
          40,
          `impossible travel: signed in from ${place(worst.from)} at ${worst.from.time} and from ${place(worst.to)} ${minutes} min later — ${Math.round(worst.km)} km at ${Math.round(worst.speed)} km/h`,
        ),
      );
      const ip = worst.to.srcIp ? createIp({ address: worst.to.srcIp }) : undefined;
      if (ip) related.push({ entity: ip, relation: 'signInFrom', join: 'always' });
    }

    // First logons to devices: devices this user had never logged on to before the window.
    const devices = new Set(
      sorted
        .filter((event) => event.kind === 'logon' && event.deviceKey)
        .map((event) => event.deviceKey as string),
    );
    const fresh: string[] = [];
    for (const device of [...devices].sort().slice(0, 50)) {
      const before = await context.events.searchEvents(
        {
          userKey: evidence.key,
          deviceKey: device,
          kinds: ['logon'],
          until: new Date(focus - WINDOW_MS).toISOString(),
        },
        { limit: 1 },
      );
      if (before.items.length === 0) fresh.push(device);
      const entity = createDevice({ hostname: device.slice('device:'.length) });
      if (entity) related.push({ entity, relation: 'loggedOnTo' });
    }
    const history = await context.events.searchEvents(
      { userKey: evidence.key, kinds: ['logon'], until: new Date(focus - WINDOW_MS).toISOString() },
      { limit: 1 },
    );
    // Without earlier history every device is "new": say nothing rather than something meaningless.
    if (history.items.length > 0 && fresh.length > 0)
      findings.push(
        finding(
          'signIn',
          Math.min(30, 10 * fresh.length),
          `first logons to ${fresh.length} device${fresh.length > 1 ? 's' : ''}: ${fresh.map((d) => d.slice('device:'.length)).join(', ')}`,
        ),
      );
    const ok = sorted.filter((event) => event.kind === 'logon').length;
    findings.push(
      finding(
        'signIn',
        0,
        `${ok} logons and ${sorted.length - ok} other authentication events in the week before`,
      ),
    );
    return { findings, related };
  },
};

export const signInSourceAnalyzer: Analyzer = {
  name: 'signInSource',
  types: ['ip'],
  async analyze(evidence, context) {
    const ip = evidence.entity as IpEntity;
    const failed = await context.events.searchEvents(
      { entityKeys: [`ip:${ip.address}`], kinds: ['logonFailed', 'credentialValidation', 'kerberosTgt'] },
      { limit: 5000 },
    );
    const accounts = new Set(
      failed.items
        .filter((event: EventRecord) => event.kind === 'logonFailed' || event.outcome === 'failure')
        .map((event) => event.userKey)
        .filter(Boolean),
    );
    if (accounts.size >= SPRAY_ACCOUNTS)
      return {
        findings: [
          finding(
            'signInSource',
            50,
            `failed logons for ${accounts.size} accounts from ${ip.address}: a password spray`,
          ),
        ],
        related: [],
      };
    if (accounts.size > 0)
      return {
        findings: [
          finding(
            'signInSource',
            0,
            `failed logons for ${accounts.size} account${accounts.size > 1 ? 's' : ''} from ${ip.address}`,
          ),
        ],
        related: [],
      };
    return nothing;
  },
};
