/** Syslog on the wire: RFC 5424 and 3164 messages, RFC 6587 framings, CEF payloads. */
import { describe, expect, it } from 'vitest';
import { parseCef, parseSyslog, splitFrames } from './syslog.js';

describe('syslog messages', () => {
  it('reads RFC 5424, with structured data, nil values and a BOM', () => {
    // RFC 5424 §6.5, example 3.
    const message = parseSyslog(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
    );
    expect(message).toEqual({
      facility: 20,
      severity: 5,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      msgId: 'ID47',
      structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } },
      message: 'An application event log entry...',
      rfc: '5424',
    });
    expect(parseSyslog("<34>1 2003-10-11T22:14:15.003Z - su - - - 'su root' failed")).toMatchObject({
      facility: 4,
      severity: 2,
      appName: 'su',
      message: "'su root' failed",
    });
    expect(parseSyslog('<13>1 - - - - - [a b="c\\"d\\]"] x')?.structuredData).toEqual({ a: { b: 'c"d]' } });
  });

  it('reads RFC 3164 (BSD): its year-less time, host, tag and pid', () => {
    // RFC 3164 §5.4.
    expect(
      parseSyslog("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", 2026),
    ).toEqual({
      facility: 4,
      severity: 2,
      timestamp: '2026-10-11T22:14:15.000Z',
      hostname: 'mymachine',
      appName: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      rfc: '3164',
    });
    expect(
      parseSyslog('<30>Dec  7 01:02:03 web1 sshd[4242]: Accepted publickey for bob', 2026),
    ).toMatchObject({
      timestamp: '2026-12-07T01:02:03.000Z',
      hostname: 'web1',
      appName: 'sshd',
      procId: '4242',
      message: 'Accepted publickey for bob',
    });
    // A sender that leaves the host name out.
    expect(parseSyslog('<30>Dec  7 01:02:03 sshd[1]: hello', 2026)).toMatchObject({
      appName: 'sshd',
      message: 'hello',
    });
    expect(parseSyslog('no priority')).toBeUndefined();
    expect(parseSyslog('<999>1 - - - - - -')).toBeUndefined();
  });

  it('splits a TCP stream by octet counting and by newlines, keeping an incomplete frame for later', () => {
    const a = '<13>1 - h app - - - first';
    const b = '<13>1 - h app - - - second\nwith a newline inside';
    const stream = Buffer.from(
      `${Buffer.byteLength(a)} ${a}${Buffer.byteLength(b)} ${b}<14>Oct 11 22:14:15 h t: third\n<14>par`,
    );
    const { messages, rest } = splitFrames(stream);
    expect(messages).toEqual([a, b, '<14>Oct 11 22:14:15 h t: third']);
    expect(rest.toString()).toBe('<14>par');
    expect(splitFrames(Buffer.from('30 <13>1 - h app - - - cut')).messages).toEqual([]);
  });
});

describe('CEF', () => {
  it('reads the header and the extension, with escapes and values holding spaces', () => {
    const cef = parseCef(
      '<134>Oct 11 22:14:15 fw1 CEF:0|Palo Alto Networks|PAN-OS|10.1|threat|Command and Control\\|C2|8|src=10.0.0.5 dst=203.0.113.9 dpt=443 msg=beacon to c2\\=yes cs1Label=Rule cs1=Block C2',
    );
    expect(cef).toEqual({
      version: '0',
      vendor: 'Palo Alto Networks',
      product: 'PAN-OS',
      productVersion: '10.1',
      signatureId: 'threat',
      name: 'Command and Control|C2',
      severity: '8',
      extension: {
        src: '10.0.0.5',
        dst: '203.0.113.9',
        dpt: '443',
        msg: 'beacon to c2=yes',
        cs1Label: 'Rule',
        cs1: 'Block C2',
      },
    });
    expect(parseCef('CEF:0|only|three')).toBeUndefined();
    expect(parseCef('plain text')).toBeUndefined();
  });
});
