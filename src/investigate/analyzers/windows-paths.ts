/** What a file path says about a program: a system binary, a user-writable folder, an installed program. */

const SYSTEM_DIR =
  /^(?:[a-z]:|\\device\\harddiskvolume\d+|\\systemroot|%systemroot%|%windir%)\\windows\\(?:system32|syswow64|winsxs\\[^\\]+)\\[^\\]+$|^(?:[a-z]:|\\device\\harddiskvolume\d+)\\windows\\[^\\]+\.exe$/i;
const SYSTEMROOT_SHORT = /^\\systemroot\\system32\\[^\\]+$/i;
const PROGRAM_FILES = /^(?:[a-z]:|\\device\\harddiskvolume\d+)\\program files(?: \(x86\))?\\/i;
const USER_WRITABLE = [
  /\\users\\[^\\]+\\(?:downloads|desktop|documents|music|videos|pictures|appdata|favorites|links|contacts)\\/i,
  /\\users\\public\\/i,
  /\\windows\\temp\\/i,
  /\\temp\\/i,
  /^(?:[a-z]:|\\device\\harddiskvolume\d+)\\programdata\\/i,
  /^(?:[a-z]:|\\device\\harddiskvolume\d+)\\perflogs\\/i,
  /\\\$recycle\.bin\\/i,
  /^\/(?:tmp|var\/tmp|dev\/shm)\//,
  /^\/home\/[^/]+\//,
  /^\/users\/[^/]+\/(?:downloads|desktop|library\/caches)\//i,
];
const EXECUTABLE =
  /\.(?:exe|dll|scr|sys|cpl|ocx|ps1|psm1|bat|cmd|vbs|vbe|js|jse|wsf|hta|lnk|msi|jar|so|elf|sh)$/i;

/** The Windows binaries attackers most often borrow (living off the land). */
export const LOLBINS = new Set([
  'rundll32.exe',
  'regsvr32.exe',
  'mshta.exe',
  'certutil.exe',
  'bitsadmin.exe',
  'wmic.exe',
  'msiexec.exe',
  'installutil.exe',
  'regasm.exe',
  'regsvcs.exe',
  'cscript.exe',
  'wscript.exe',
  'powershell.exe',
  'pwsh.exe',
  'msbuild.exe',
  'cmstp.exe',
  'odbcconf.exe',
]);

export const SHELLS = new Set([
  'cmd.exe',
  'powershell.exe',
  'pwsh.exe',
  'wscript.exe',
  'cscript.exe',
  'mshta.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'bash',
  'sh',
  'zsh',
]);

export const DOCUMENT_AND_WEB_APPS = new Set([
  'winword.exe',
  'excel.exe',
  'powerpnt.exe',
  'outlook.exe',
  'onenote.exe',
  'msaccess.exe',
  'acrord32.exe',
  'msedge.exe',
  'chrome.exe',
  'firefox.exe',
  'iexplore.exe',
  'brave.exe',
  'opera.exe',
]);

/** Names of core Windows processes: one elsewhere than the system folders is masquerading. */
export const CORE_WINDOWS_NAMES = new Set([
  'svchost.exe',
  'lsass.exe',
  'services.exe',
  'csrss.exe',
  'wininit.exe',
  'winlogon.exe',
  'smss.exe',
  'spoolsv.exe',
  'taskhostw.exe',
  'dllhost.exe',
  'conhost.exe',
  'rundll32.exe',
  'explorer.exe',
]);

export function fileName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return (cut >= 0 ? path.slice(cut + 1) : path).toLowerCase();
}

export function isSystemPath(path: string): boolean {
  return SYSTEM_DIR.test(path) || SYSTEMROOT_SHORT.test(path);
}

export function isProgramFiles(path: string): boolean {
  return PROGRAM_FILES.test(path);
}

export function isUserWritable(path: string): boolean {
  return USER_WRITABLE.some((pattern) => pattern.test(path));
}

export function isExecutablePath(path: string): boolean {
  return EXECUTABLE.test(path);
}

/** The folder part of a path, for sentences. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut > 0 ? path.slice(0, cut) : path;
}
