/**
 * The automation policy (docs/response.md), pure: which group an asset belongs to, and whether an action on it runs
 * at once or waits for an analyst — with the rule that decided, in words.
 *
 * Groups have ranked membership rules; an asset joins the first group (lowest rank) with a matching rule, and the
 * default group of its kind otherwise. A group's automation level has Microsoft's meaning:
 *
 * | level         | file actions (quarantine, stop process, remove persistence) | other actions |
 * |---------------|--------------------------------------------------------------|---------------|
 * | `full`        | run                                                          | run           |
 * | `semiAll`     | wait for approval                                            | wait          |
 * | `semiCore`    | wait when the file is in a core (OS) folder, run otherwise   | wait          |
 * | `semiNonTemp` | run when the file is in a temp or download folder, wait otherwise | wait     |
 * | `none`        | not planned: the proposal stays visible, no action is created | not planned  |
 *
 * Collecting evidence (`collectInvestigationPackage`) changes nothing: it runs at every level but `none`.
 *
 * Before the level, two guardrails: a target or device with a protected tag always waits, and suspicious
 * evidence waits unless its group automates suspicious verdicts. E-mail actions wait unless the mailbox group is
 * `full`. After it, a cap per action type per window turns an automatic decision into a wait.
 */
import { actionCatalog, type ActionType } from './action.js';
import { AutoirError } from './errors.js';

export const automationLevels = ['full', 'semiAll', 'semiCore', 'semiNonTemp', 'none'] as const;
export type AutomationLevel = (typeof automationLevels)[number];

export const groupKinds = ['device', 'mailbox', 'user'] as const;
export type GroupKind = (typeof groupKinds)[number];

/** One membership rule: every field given must match (case-insensitive; `*` and `?` wildcards in `name`/`os`). */
export interface MembershipRule {
  /** Host name or FQDN (devices), account name or UPN (users), address (mailboxes). */
  readonly name?: string;
  /** DNS or NetBIOS domain: `pandalab.com` matches `mkt01.pandalab.com`, `pandalab\x`, `x@pandalab.com`. */
  readonly domain?: string;
  readonly tag?: string;
  /** Devices only: the operating system as sources report it (`Windows*`, `*linux*`). */
  readonly os?: string;
}

export interface AssetGroup {
  readonly kind: GroupKind;
  readonly name: string;
  /** Lower ranks are matched first. The default group matches everything, last. */
  readonly rank: number;
  readonly rules: readonly MembershipRule[];
  readonly level: AutomationLevel;
  /** Let actions for suspicious (not only malicious) evidence run without approval. Default false. */
  readonly automateSuspicious: boolean;
  readonly isDefault: boolean;
  readonly description: string | null;
  /** Shadow automation: measure a level before trusting it (see {@link decideWithShadow}). None by default. */
  readonly shadow?: ShadowSetting | null;
}

/**
 * A group in shadow decides its actions as if `level` were on — and runs none of them by itself: each waits for an
 * analyst, marked with what the shadow level would have done and the rule that said so. The analyst's decision,
 * recorded beside it, is the measure of agreement (approved, rejected, undone) per group and action type.
 */
export interface ShadowSetting {
  readonly level: AutomationLevel;
  /** The action types it covers; all when not given. Others are decided by the group's own level. */
  readonly actionTypes?: readonly ActionType[] | null;
}

/** What the policy knows about an asset when choosing its group. */
export interface AssetFacts {
  readonly key: string;
  readonly name: string;
  readonly domain: string | null;
  readonly os: string | null;
  readonly tags: readonly string[];
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function ruleMatches(rule: MembershipRule, asset: AssetFacts): boolean {
  if (rule.name !== undefined) {
    const re = wildcard(rule.name);
    const names = [asset.name, asset.key.slice(asset.key.indexOf(':') + 1)].map((n) => n.toLowerCase());
    if (!names.some((n) => re.test(n))) return false;
  }
  if (rule.domain !== undefined) {
    const domain = rule.domain.toLowerCase();
    const own = (asset.domain ?? '').toLowerCase();
    if (own !== domain && !own.endsWith(`.${domain}`) && own.split('.')[0] !== domain) return false;
  }
  if (rule.tag !== undefined && !asset.tags.some((tag) => tag.toLowerCase() === rule.tag?.toLowerCase()))
    return false;
  if (rule.os !== undefined && !wildcard(rule.os).test((asset.os ?? '').toLowerCase())) return false;
  return (
    rule.name !== undefined || rule.domain !== undefined || rule.tag !== undefined || rule.os !== undefined
  );
}

/** The group an asset belongs to: the first by rank with a matching rule, else the default group of its kind. */
export function groupFor(groups: readonly AssetGroup[], kind: GroupKind, asset: AssetFacts): AssetGroup {
  const ofKind = groups.filter((group) => group.kind === kind);
  const ranked = ofKind.filter((group) => !group.isDefault).sort((a, b) => a.rank - b.rank);
  for (const group of ranked) if (group.rules.some((rule) => ruleMatches(rule, asset))) return group;
  const fallback = ofKind.find((group) => group.isDefault);
  if (!fallback) throw new Error(`no default ${kind} group`);
  return fallback;
}

/** Facts about an asset from its entity key (and what evidence adds: OS, tags). */
export function assetFacts(
  key: string,
  extra: { os?: string | null; tags?: readonly string[] } = {},
): AssetFacts {
  const value = key.slice(key.indexOf(':') + 1);
  let name = value;
  let domain: string | null = null;
  if (key.startsWith('device:')) {
    const dot = value.indexOf('.');
    name = dot > 0 ? value.slice(0, dot) : value;
    domain = dot > 0 ? value.slice(dot + 1) : null;
  } else if (key.startsWith('user:')) {
    const slash = value.indexOf('\\');
    const at = value.indexOf('@');
    if (slash > 0) {
      domain = value.slice(0, slash);
      name = value.slice(slash + 1);
    } else if (at > 0) {
      domain = value.slice(at + 1);
      name = value.slice(0, at);
    }
  } else if (key.startsWith('mailbox:')) {
    const at = value.indexOf('@');
    domain = at > 0 ? value.slice(at + 1) : null;
  }
  return { key, name, domain, os: extra.os ?? null, tags: extra.tags ?? [] };
}

/** Folder lists per platform, as wildcard patterns matched against the whole path (case-insensitive). */
export interface PathLists {
  readonly core: Readonly<Record<Platform, readonly string[]>>;
  readonly temp: Readonly<Record<Platform, readonly string[]>>;
}

export type Platform = 'windows' | 'linux' | 'macos';

/** Core folders are the operating system's own; temp folders are temp and download directories. */
export const defaultPathLists: PathLists = {
  core: {
    windows: ['?:\\windows\\*'],
    linux: [
      '/bin/*',
      '/sbin/*',
      '/usr/bin/*',
      '/usr/sbin/*',
      '/usr/lib/*',
      '/usr/lib64/*',
      '/lib/*',
      '/lib64/*',
      '/boot/*',
      '/etc/*',
    ],
    macos: [
      '/system/*',
      '/bin/*',
      '/sbin/*',
      '/usr/bin/*',
      '/usr/sbin/*',
      '/usr/lib/*',
      '/usr/libexec/*',
      '/library/apple/*',
    ],
  },
  temp: {
    windows: [
      '?:\\windows\\temp\\*',
      '?:\\temp\\*',
      '?:\\users\\*\\appdata\\local\\temp\\*',
      '?:\\users\\*\\downloads\\*',
      '?:\\users\\*\\appdata\\local\\microsoft\\windows\\inetcache\\*',
    ],
    linux: ['/tmp/*', '/var/tmp/*', '/dev/shm/*', '/home/*/downloads/*', '/root/downloads/*'],
    macos: ['/tmp/*', '/private/tmp/*', '/private/var/folders/*', '/users/*/downloads/*'],
  },
};

/** The platform a path belongs to, from its shape (`C:\…` or `\\server\…` → windows; `/Users/`, `/System/` → macos). */
export function platformOfPath(path: string, os: string | null = null): Platform {
  const hint = (os ?? '').toLowerCase();
  if (/^[a-z]:[\\/]/i.test(path) || path.startsWith('\\\\') || hint.includes('windows')) return 'windows';
  if (
    hint.includes('mac') ||
    hint.includes('darwin') ||
    /^\/(users|system|applications|private)\//i.test(path)
  )
    return 'macos';
  return 'linux';
}

/** `core`, `temp`, or `other`: where a file lies, by the configured folder lists. */
export function folderClass(
  path: string,
  lists: PathLists,
  os: string | null = null,
): 'core' | 'temp' | 'other' {
  const platform = platformOfPath(path, os);
  const normal = platform === 'windows' ? path.replace(/\//g, '\\').toLowerCase() : path.toLowerCase();
  const matches = (patterns: readonly string[]) => patterns.some((pattern) => wildcard(pattern).test(normal));
  // Temp first: C:\Windows\Temp is both an OS folder and a temp folder, and temp is what it is for.
  if (matches(lists.temp[platform])) return 'temp';
  if (matches(lists.core[platform])) return 'core';
  return 'other';
}

export interface Guardrails {
  /** Tags that keep an asset from ever being acted on automatically (domain controllers, production servers). */
  readonly protectedTags: readonly string[];
  /** At most `max` automatic actions of a type per `windowMs`; beyond it, the action waits for approval. */
  readonly caps: Readonly<Partial<Record<ActionType, { readonly max: number; readonly windowMs: number }>>>;
}

export const defaultGuardrails: Guardrails = {
  protectedTags: ['protected', 'domainController', 'production'],
  caps: {
    isolateDevice: { max: 5, windowMs: 3_600_000 },
    disableUser: { max: 10, windowMs: 3_600_000 },
    resetPassword: { max: 20, windowMs: 3_600_000 },
    blockIp: { max: 50, windowMs: 3_600_000 },
    softDeleteEmail: { max: 50, windowMs: 3_600_000 },
  },
};

/** What the policy looks at to decide one action. */
export interface DecisionInput {
  readonly type: ActionType;
  readonly targetKey: string;
  /** The verdict of the evidence the action remediates; `null` for an analyst's own request. */
  readonly verdict: 'malicious' | 'suspicious' | null;
  /** The file's path, for file actions. */
  readonly path: string | null;
  readonly os: string | null;
  /** The group that judges it (see {@link ActionSpec.scope}). */
  readonly group: AssetGroup;
  /** Tags on the target and on its device. */
  readonly tags: readonly string[];
  /** Automatic actions of this type decided within the cap's window, before this one. */
  readonly recentAutomatic: number;
}

export type Decision =
  | { readonly outcome: 'approve'; readonly rule: string }
  | { readonly outcome: 'wait'; readonly rule: string }
  | { readonly outcome: 'skip'; readonly rule: string };

/** Run at once, wait for approval, or don't plan — and the rule that said so. */
export function decideAutomation(input: DecisionInput, guardrails: Guardrails, lists: PathLists): Decision {
  const { group, type } = input;
  const spec = actionCatalog[type];
  const where = `${group.kind} group "${group.name}" (${group.level})`;
  if (group.level === 'none') return { outcome: 'skip', rule: `${where}: no automated response` };
  const guarded = input.tags.find((tag) =>
    guardrails.protectedTags.some((p) => p.toLowerCase() === tag.toLowerCase()),
  );
  if (guarded) return { outcome: 'wait', rule: `guardrail: tagged ${guarded}, never acted on automatically` };
  if (spec.collects) return { outcome: 'approve', rule: `${where}: ${type} only reads the device` };
  if (input.verdict === 'suspicious' && !group.automateSuspicious)
    return { outcome: 'wait', rule: `${where}: actions for suspicious evidence wait for approval` };
  if (spec.email && group.level !== 'full')
    return { outcome: 'wait', rule: `${where}: e-mail actions wait for approval` };
  let decision: Decision;
  switch (group.level) {
    case 'full':
      decision = { outcome: 'approve', rule: `${where}: remediate automatically` };
      break;
    case 'semiAll':
      decision = { outcome: 'wait', rule: `${where}: every action waits for approval` };
      break;
    case 'semiCore':
    case 'semiNonTemp': {
      if (!spec.onFile || !input.path) {
        decision = {
          outcome: 'wait',
          rule: `${where}: ${spec.onFile ? 'no file path known' : `${type} is not a file action`}, so it waits for approval`,
        };
        break;
      }
      const place = folderClass(input.path, lists, input.os);
      decision =
        group.level === 'semiCore'
          ? place === 'core'
            ? {
                outcome: 'wait',
                rule: `${where}: ${input.path} is in a core folder, so it waits for approval`,
              }
            : { outcome: 'approve', rule: `${where}: ${input.path} is outside core folders` }
          : place === 'temp'
            ? { outcome: 'approve', rule: `${where}: ${input.path} is in a temp or download folder` }
            : {
                outcome: 'wait',
                rule: `${where}: ${input.path} is not in a temp folder, so it waits for approval`,
              };
      break;
    }
  }
  const cap = guardrails.caps[type];
  if (decision.outcome === 'approve' && cap && input.recentAutomatic >= cap.max)
    return {
      outcome: 'wait',
      rule: `guardrail: at most ${cap.max} automatic ${type} per ${Math.round(cap.windowMs / 60_000)} min (${input.recentAutomatic} already)`,
    };
  return decision;
}

/** What the shadow level would have done with an action: run at once (`approve`) or wait, and the rule. */
export interface ShadowDecision {
  readonly level: AutomationLevel;
  readonly outcome: 'approve' | 'wait';
  readonly rule: string;
}

/**
 * The decision on one action for a group that may be in shadow. Outside shadow (no setting, another action type, or
 * an action that only collects evidence) it is {@link decideAutomation}'s. In shadow the shadow level decides what
 * would have happened — its caps counting the actions the shadow would have run (`shadowRecent`) — and the action
 * itself waits for an analyst, or is not planned when the shadow level plans nothing.
 */
export function decideWithShadow(
  input: DecisionInput,
  guardrails: Guardrails,
  lists: PathLists,
  shadowRecent: number,
): { readonly decision: Decision; readonly shadow: ShadowDecision | null } {
  const shadow = input.group.shadow;
  const covered =
    shadow &&
    !actionCatalog[input.type].collects &&
    (!shadow.actionTypes || shadow.actionTypes.length === 0 || shadow.actionTypes.includes(input.type));
  if (!shadow || !covered) return { decision: decideAutomation(input, guardrails, lists), shadow: null };
  const would = decideAutomation(
    { ...input, group: { ...input.group, level: shadow.level }, recentAutomatic: shadowRecent },
    guardrails,
    lists,
  );
  if (would.outcome === 'skip') return { decision: would, shadow: null };
  const where = `${input.group.kind} group "${input.group.name}" in shadow (${shadow.level})`;
  return {
    decision: {
      outcome: 'wait',
      rule: `${where}: would have ${would.outcome === 'approve' ? 'run' : 'waited'} — ${would.rule}`,
    },
    shadow: { level: shadow.level, outcome: would.outcome, rule: would.rule },
  };
}

/** A group as an analyst gives it: what is not given keeps its value (a new group takes the defaults). */
export interface GroupInput {
  readonly kind: GroupKind;
  readonly name: string;
  readonly rank?: number;
  readonly rules?: readonly MembershipRule[];
  readonly level?: AutomationLevel;
  readonly automateSuspicious?: boolean;
  readonly description?: string | null;
  /** `null` ends shadow automation. */
  readonly shadow?: ShadowSetting | null;
}

/** A new group's level when none is given. */
export const DEFAULT_GROUP_LEVEL: AutomationLevel = 'semiAll';
/** A new group without a rank comes this far after the last group of its kind. */
const RANK_STEP = 10;

/**
 * What a change to a group writes. The default group of a kind takes every asset no other group takes: it has no
 * rules and keeps its rank (a rank given is ignored). A new group needs at least one membership rule; it comes
 * after the groups of its kind unless ranked, at `semiAll` unless given a level. Bad input names the field.
 */
export function groupChange(
  existing: AssetGroup | undefined,
  input: GroupInput,
  highestRank: number,
):
  | {
      readonly create: Omit<AssetGroup, 'isDefault'> & {
        readonly description: string | null;
        readonly shadow: ShadowSetting | null;
      };
    }
  | {
      readonly update: Partial<Omit<AssetGroup, 'kind' | 'name' | 'isDefault'>> & {
        readonly description?: string | null;
      };
    } {
  const shadow = input.shadow === undefined ? undefined : shadowSetting(input.shadow);
  if (existing?.isDefault && input.rules && input.rules.length > 0)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `the default ${input.kind} group takes every asset no other group takes: it has no rules`,
      { location: { field: 'rules' } },
    );
  if (existing)
    return {
      update: {
        ...(input.rank !== undefined && !existing.isDefault ? { rank: input.rank } : {}),
        ...(input.rules !== undefined ? { rules: input.rules } : {}),
        ...(input.level !== undefined ? { level: input.level } : {}),
        ...(input.automateSuspicious !== undefined ? { automateSuspicious: input.automateSuspicious } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(shadow !== undefined ? { shadow } : {}),
      },
    };
  if (!input.rules || input.rules.length === 0)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `group ${input.name} needs at least one membership rule (name, domain, tag or os)`,
      { location: { field: 'rules' } },
    );
  return {
    create: {
      kind: input.kind,
      name: input.name,
      rank: input.rank ?? highestRank + RANK_STEP,
      rules: input.rules,
      level: input.level ?? DEFAULT_GROUP_LEVEL,
      automateSuspicious: input.automateSuspicious ?? false,
      description: input.description ?? null,
      shadow: shadow ?? null,
    },
  };
}

/** A shadow setting as given, checked: a level, and action types autoir knows (none: all). */
function shadowSetting(setting: ShadowSetting | null): ShadowSetting | null {
  if (setting === null) return null;
  if (!(automationLevels as readonly string[]).includes(setting.level))
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `shadow level ${JSON.stringify(setting.level)} is not one of ${automationLevels.join(', ')}`,
      { location: { field: 'shadow.level' } },
    );
  const types = setting.actionTypes ?? [];
  const unknown = types.find((type) => !(type in actionCatalog));
  if (unknown !== undefined)
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `shadow: no action type ${JSON.stringify(unknown)}`, {
      location: { field: 'shadow.actionTypes' },
    });
  return types.length > 0
    ? { level: setting.level, actionTypes: [...new Set(types)].sort() }
    : { level: setting.level };
}

/** Whether a group may be deleted: any but the default group of its kind (`AUTOIR_E_CONFLICT`). */
export function checkGroupDeletion(group: AssetGroup): void {
  if (group.isDefault)
    throw new AutoirError('AUTOIR_E_CONFLICT', `the default ${group.kind} group cannot be deleted`);
}
