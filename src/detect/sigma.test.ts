/**
 * The Sigma detection language, construct by construct, on small events; and malformed rules, refused with the
 * field named.
 */
import { describe, expect, it } from 'vitest';
import { parseCondition } from './condition.js';
import { windowsSigmaEvent } from './logsource.js';
import { compileRule } from './sigma.js';
import { SigmaError, type SigmaEvent } from './sigma-types.js';

function event(fields: Record<string, string>): SigmaEvent {
  return { get: (name) => fields[name], values: () => Object.values(fields) };
}

/** A rule with this detection (YAML text, indented under `detection:`). */
function rule(detection: string, extra = '') {
  return compileRule(
    `title: Test\nid: 00000000-0000-0000-0000-000000000001\nstatus: test\nlevel: high\nlogsource:\n    product: windows\n    category: process_creation\n${extra}detection:\n${detection}`,
    'test.yml',
  );
}

const proc = event({
  Image: 'C:\\Windows\\System32\\cmd.exe',
  CommandLine: 'cmd.exe /c whoami /all',
  ParentImage: 'C:\\Users\\x\\Downloads\\payload.exe',
  User: 'CORP\\alice',
  IntegrityLevel: 'High',
  SourceIp: '10.1.2.3',
  Count: '17',
  OriginalFileName: 'Cmd.Exe',
});

describe('field matching', () => {
  it('compares case-insensitively, with * and ? wildcards', () => {
    expect(rule('  sel:\n    Image: c:\\windows\\system32\\CMD.EXE\n  condition: sel').matches(proc)).toBe(
      true,
    );
    expect(rule("  sel:\n    Image: '*\\cm?.exe'\n  condition: sel").matches(proc)).toBe(true);
    expect(rule("  sel:\n    Image: '*\\cmd'\n  condition: sel").matches(proc)).toBe(false);
  });

  it('reads escaped wildcards literally, and a lone backslash as itself', () => {
    const star = event({ CommandLine: 'echo a*b', Path: 'C:\\Temp\\x' });
    expect(rule("  sel:\n    CommandLine: 'echo a\\*b'\n  condition: sel").matches(star)).toBe(true);
    expect(rule("  sel:\n    CommandLine: 'echo a\\*c'\n  condition: sel").matches(star)).toBe(false);
    expect(rule("  sel:\n    CommandLine: 'echo a\\*'\n  condition: sel").matches(star)).toBe(false);
    expect(rule("  sel:\n    Path: 'C:\\Temp\\x'\n  condition: sel").matches(star)).toBe(true);
  });

  it('contains, startswith, endswith, and all', () => {
    expect(rule("  sel:\n    CommandLine|contains: 'WHOAMI'\n  condition: sel").matches(proc)).toBe(true);
    expect(rule("  sel:\n    CommandLine|startswith: 'cmd.exe /c'\n  condition: sel").matches(proc)).toBe(
      true,
    );
    expect(rule("  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel").matches(proc)).toBe(true);
    expect(
      rule('  sel:\n    CommandLine|contains|all:\n      - whoami\n      - /all\n  condition: sel').matches(
        proc,
      ),
    ).toBe(true);
    expect(
      rule('  sel:\n    CommandLine|contains|all:\n      - whoami\n      - /priv\n  condition: sel').matches(
        proc,
      ),
    ).toBe(false);
    expect(
      rule('  sel:\n    CommandLine|contains:\n      - whoami\n      - /priv\n  condition: sel').matches(
        proc,
      ),
    ).toBe(true);
  });

  it('cased makes a match case-sensitive', () => {
    expect(rule("  sel:\n    OriginalFileName|cased: 'Cmd.Exe'\n  condition: sel").matches(proc)).toBe(true);
    expect(rule("  sel:\n    OriginalFileName|cased: 'cmd.exe'\n  condition: sel").matches(proc)).toBe(false);
  });

  it('null means the field is absent or empty; exists tests presence', () => {
    expect(rule('  sel:\n    ParentCommandLine: null\n  condition: sel').matches(proc)).toBe(true);
    expect(rule('  sel:\n    CommandLine: null\n  condition: sel').matches(proc)).toBe(false);
    expect(rule('  sel:\n    CommandLine|exists: true\n  condition: sel').matches(proc)).toBe(true);
    expect(rule('  sel:\n    Hashes|exists: false\n  condition: sel').matches(proc)).toBe(true);
  });

  it('re with flags, also PCRE inline (?i) at the start', () => {
    expect(rule("  sel:\n    CommandLine|re: '/c\\s+WHOAMI'\n  condition: sel").matches(proc)).toBe(false);
    expect(rule("  sel:\n    CommandLine|re|i: '/c\\s+WHOAMI'\n  condition: sel").matches(proc)).toBe(true);
    expect(rule("  sel:\n    CommandLine|re: '(?i)/c\\s+WHOAMI'\n  condition: sel").matches(proc)).toBe(true);
  });

  it('cidr, lt/lte/gt/gte, fieldref', () => {
    expect(rule("  sel:\n    SourceIp|cidr: '10.0.0.0/8'\n  condition: sel").matches(proc)).toBe(true);
    expect(rule("  sel:\n    SourceIp|cidr: '192.168.0.0/16'\n  condition: sel").matches(proc)).toBe(false);
    expect(
      rule("  sel:\n    SourceIp|cidr: 'fe80::/10'\n  condition: sel").matches(
        event({ SourceIp: 'fe80::1' }),
      ),
    ).toBe(true);
    expect(rule('  sel:\n    Count|gt: 16\n  condition: sel').matches(proc)).toBe(true);
    expect(rule('  sel:\n    Count|lt: 17\n  condition: sel').matches(proc)).toBe(false);
    expect(rule('  sel:\n    Count|lte: 17\n  condition: sel').matches(proc)).toBe(true);
    const same = event({ TargetUser: 'CORP\\alice', SourceUser: 'corp\\ALICE' });
    expect(rule('  sel:\n    TargetUser|fieldref: SourceUser\n  condition: sel').matches(same)).toBe(true);
  });

  it('base64 and base64offset (with utf16le / wide), windash', () => {
    const encoded = Buffer.from('Invoke-Mimikatz', 'utf8').toString('base64');
    expect(
      rule(`  sel:\n    CommandLine|base64: 'Invoke-Mimikatz'\n  condition: sel`).matches(
        event({ CommandLine: encoded }),
      ),
    ).toBe(true);
    for (const prefix of ['', 'x', 'xy']) {
      const line = `powershell -enc ${Buffer.from(`${prefix}IEX (New-Object Net.WebClient)`, 'utf16le').toString('base64')}`;
      expect(
        rule(
          "  sel:\n    CommandLine|wide|base64offset|contains: 'IEX (New-Object'\n  condition: sel",
        ).matches(event({ CommandLine: line })),
        `offset ${prefix.length}`,
      ).toBe(true);
    }
    for (const dash of ['-', '/', '\u2013']) {
      expect(
        rule("  sel:\n    CommandLine|windash|contains: ' -enc '\n  condition: sel").matches(
          event({ CommandLine: `powershell ${dash}enc AAAA` }),
        ),
        dash,
      ).toBe(true);
    }
  });

  it('expand needs values for its placeholders, and uses them', () => {
    const withPlaceholder = () =>
      compileRule(
        "title: T\nlogsource:\n    product: windows\ndetection:\n    sel:\n        User|expand: '%Admins%'\n    condition: sel\n",
        'p.yml',
        { placeholders: { Admins: ['CORP\\alice', 'CORP\\bob'] } },
      );
    expect(withPlaceholder().matches(proc)).toBe(true);
    expect(() =>
      compileRule(
        "title: T\nlogsource:\n    product: windows\ndetection:\n    sel:\n        User|expand: '%Admins%'\n    condition: sel\n",
        'p.yml',
      ),
    ).toThrow(/placeholder %Admins% has no values/);
  });
});

describe('searches and conditions', () => {
  it('a map is AND, a list of maps is OR, keywords search every value', () => {
    expect(
      rule("  sel:\n    Image|endswith: '\\cmd.exe'\n    User: 'CORP\\bob'\n  condition: sel").matches(proc),
    ).toBe(false);
    expect(
      rule("  sel:\n    - Image|endswith: '\\nope.exe'\n    - User: 'CORP\\alice'\n  condition: sel").matches(
        proc,
      ),
    ).toBe(true);
    expect(rule('  keywords:\n    - mimikatz\n    - WHOAMI\n  condition: keywords').matches(proc)).toBe(true);
    expect(rule('  keywords:\n    - mimikatz\n  condition: keywords').matches(proc)).toBe(false);
  });

  it('and / or / not with parentheses; 1 of, all of, them', () => {
    const detection = [
      "  selection_img:\n    Image|endswith: '\\cmd.exe'",
      '  selection_cli:\n    CommandLine|contains: whoami',
      "  filter_main:\n    User: 'CORP\\alice'",
      "  filter_other:\n    User: 'CORP\\bob'",
    ].join('\n');
    const check = (condition: string) => rule(`${detection}\n  condition: ${condition}`).matches(proc);
    expect(check('all of selection_* and not 1 of filter_*')).toBe(false);
    expect(check('all of selection_* and not filter_other')).toBe(true);
    expect(check('selection_img and (filter_other or selection_cli)')).toBe(true);
    expect(check('not selection_img or filter_other')).toBe(false);
    expect(check('1 of them')).toBe(true);
    expect(check('all of them')).toBe(false);
    expect(check('2 of selection_*')).toBe(true);
  });

  it('parses precedence: not binds tighter than and, and than or', () => {
    expect(parseCondition('a or b and not c')).toEqual({
      type: 'or',
      operands: [
        { type: 'search', name: 'a' },
        {
          type: 'and',
          operands: [
            { type: 'search', name: 'b' },
            { type: 'not', operand: { type: 'search', name: 'c' } },
          ],
        },
      ],
    });
  });
});

describe('malformed and unsupported rules', () => {
  const refused = (text: string) => {
    try {
      compileRule(text, 'bad.yml');
    } catch (error) {
      if (error instanceof SigmaError)
        return { kind: error.kind, field: error.field, message: error.message };
      throw error;
    }
    throw new Error('expected the rule to be refused');
  };
  const base = 'title: T\nlogsource:\n    product: windows\n';

  it('names the field of what is wrong', () => {
    expect(
      refused('logsource:\n    product: windows\ndetection:\n    sel:\n        a: b\n    condition: sel\n'),
    ).toMatchObject({ kind: 'error', field: 'title' });
    expect(
      refused(`${base}level: severe\ndetection:\n    sel:\n        a: b\n    condition: sel\n`),
    ).toMatchObject({ field: 'level' });
    expect(refused(`${base}detection:\n    sel:\n        a: b\n`)).toMatchObject({
      field: 'detection.condition',
    });
    expect(refused(`${base}detection:\n    sel:\n        a|containz: b\n    condition: sel\n`)).toMatchObject(
      { field: 'detection.sel.a|containz', message: expect.stringMatching(/unknown modifier \|containz/) },
    );
    expect(
      refused(`${base}detection:\n    sel:\n        a: b\n    condition: sel and other\n`),
    ).toMatchObject({ message: expect.stringMatching(/no search identifier other/) });
    expect(
      refused(`${base}detection:\n    sel:\n        a|re: '(unclosed'\n    condition: sel\n`),
    ).toMatchObject({ kind: 'error', field: 'detection.sel.a|re' });
    expect(refused('title: [unclosed\n')).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/not valid YAML/),
    });
  });

  it('reports correlation rules and aggregations as unsupported, with the reason', () => {
    expect(refused('title: T\ncorrelation:\n    type: event_count\n    rules: [a]\n')).toMatchObject({
      kind: 'unsupported',
      field: 'correlation',
    });
    expect(
      refused(`${base}detection:\n    sel:\n        a: b\n    condition: sel | count() by x > 5\n`),
    ).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/aggregation/) });
    expect(
      refused(`${base}detection:\n    sel:\n        a: b\n    timeframe: 5m\n    condition: sel\n`),
    ).toMatchObject({ kind: 'unsupported', field: 'detection.timeframe' });
  });
});

describe('Windows records as rules read them', () => {
  it('finds data fields named with spaces under the names rules write, never over a field of that name', () => {
    const defender = windowsSigmaEvent({
      provider: 'Microsoft-Windows-Windows Defender',
      channel: 'Microsoft-Windows-Windows Defender/Operational',
      eventId: 1119,
      data: {
        'Source Name': 'Real-Time Protection',
        'Process Name': 'C:\\Users\\x\\Downloads\\RedSun.exe',
        'Threat Name': 'Tool:Win32/EICAR_Test_File',
        'Path Name': 'from the spaced name',
        PathName: 'from the field itself',
      },
    });
    expect(defender.get('SourceName')).toBe('Real-Time Protection');
    expect(defender.get('ProcessName')).toBe('C:\\Users\\x\\Downloads\\RedSun.exe');
    expect(defender.get('threatname')).toBe('Tool:Win32/EICAR_Test_File');
    expect(defender.get('PathName')).toBe('from the field itself');
    expect(defender.get('Provider_Name')).toBe('Microsoft-Windows-Windows Defender');
    expect(defender.get('Missing')).toBeUndefined();
  });
});
