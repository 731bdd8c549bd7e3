/**
 * Entities as analysts name them — `winx64_payload.exe (pid 1988) on MKT01`, `PANDALAB\stevie.marie`, `MKT01`,
 * `10.0.5.13` — from their attributes, from the key where they say nothing. The API sends this name beside every
 * entity it shows (alerts' entities, evidence, actions' targets); the key stays the identity.
 */

/** The last part of a Windows or POSIX path. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The host part of a device name (`mkt01.pandalab.com` → `MKT01`), as analysts say it. */
function host(device: string | undefined): string | undefined {
  if (!device) return undefined;
  return device
    .replace(/^device:/, '')
    .split('.')[0]
    ?.toUpperCase();
}

/** What the key alone says: `ip:10.0.5.13` → `10.0.5.13`, `process:mkt01…:<guid>` → `process on MKT01`. */
function fromKey(type: string, key: string): string {
  const value = key.startsWith(`${type}:`) ? key.slice(type.length + 1) : key;
  switch (type) {
    case 'device':
      return host(value) ?? key;
    case 'process':
      return `process on ${host(value.split(':')[0]) ?? '?'}`;
    case 'file':
      if (value.startsWith('sha256:') || value.startsWith('sha1:') || value.startsWith('md5:'))
        return `file ${value.slice(value.indexOf(':') + 1, value.indexOf(':') + 13)}…`;
      return fileName(value);
    case 'service':
    case 'scheduledTask': {
      const at = value.indexOf(':');
      return at > 0 ? `${value.slice(at + 1)} on ${host(value.slice(0, at))}` : value;
    }
    case 'ip':
    case 'domain':
    case 'user':
    case 'mailbox':
    case 'url':
    case 'registryKey':
    case 'registryValue':
      return value;
    default:
      return key;
  }
}

/** An entity (its type, key and attributes) as an analyst names it. */
export function entityName(entity: { readonly type: string; readonly key: string }): string {
  const named = attributeName(entity);
  return named === entity.key || named === entity.type ? fromKey(entity.type, entity.key) : named;
}

function attributeName(entity: { readonly type: string; readonly key: string }): string {
  const attributes = entity as unknown as Readonly<Record<string, unknown>>;
  const text = (name: string) => {
    const value = attributes[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const pid = typeof attributes.pid === 'number' ? attributes.pid : undefined;
  switch (entity.type) {
    case 'device':
      return host(text('fqdn') ?? text('hostname')) ?? entity.key;
    case 'user': {
      const name = text('name');
      const domain = text('domain');
      return (
        text('upn') ??
        (name ? (domain ? `${domain}\\${name}` : name) : undefined) ??
        text('sid') ??
        entity.key
      );
    }
    case 'process': {
      const image = text('imagePath');
      const parts = [image ? fileName(image) : 'process', pid !== undefined ? `(pid ${pid})` : undefined];
      const on = host(text('device'));
      return `${parts.filter(Boolean).join(' ')}${on ? ` on ${on}` : ''}`;
    }
    case 'file': {
      const name = text('name') ?? (text('path') ? fileName(text('path') as string) : undefined);
      const digest = text('sha256') ?? text('sha1') ?? text('md5');
      return name ?? (digest ? `file ${digest.slice(0, 12)}…` : entity.key);
    }
    case 'ip':
      return text('address') ?? entity.key;
    case 'domain':
      return text('name') ?? entity.key;
    case 'url':
      return text('url') ?? entity.key;
    case 'mailbox':
      return text('address') ?? entity.key;
    case 'mailMessage':
      return text('subject') ? `“${text('subject')}”` : entity.key;
    case 'service':
    case 'scheduledTask': {
      const on = host(text('device'));
      return `${text('name') ?? entity.key}${on ? ` on ${on}` : ''}`;
    }
    case 'registryKey':
      return text('path') ?? entity.key;
    case 'registryValue':
      return `${text('keyPath') ?? ''}\\${text('valueName') ?? ''}`;
    default:
      return entity.key;
  }
}

/** An action's target by name: from the entity it was planned on (its parameters carry it), else from the key. */
export function targetName(targetKey: string, entity?: object | null): string {
  const type = targetKey.slice(0, Math.max(0, targetKey.indexOf(':')));
  return entityName({ ...(entity ?? {}), type, key: targetKey });
}
