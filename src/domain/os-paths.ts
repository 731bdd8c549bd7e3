/**
 * What a file path says about a program: a binary of the operating system at its own place, a user-writable
 * folder, an installed program — and which Windows and Linux programs are the operating system itself.
 */

/** The Windows directory, however a source spells it; the rest of the path is captured. */
const WINDOWS_TREE =
  /^(?:(?:\\\\\?\\)?[a-z]:|\\device\\harddiskvolume\d+)\\windows\\(.+)$|^(?:\\systemroot|%systemroot%|%windir%)\\(.+)$/i;
/**
 * Folders inside the Windows directory that ordinary users or services can write to: a program there was put
 * there, it did not come with Windows.
 */
const WRITABLE_IN_WINDOWS =
  /^(?:temp|systemtemp|tasks|tracing|debug|pla|logs|prefetch|installer|downloaded program files|registration\\crmlog|serviceprofiles|(?:system32|syswow64)\\(?:tasks|tasks_migrated|spool\\(?:drivers\\color|printers|servers)|com\\dmp|fxstmp|microsoft\\crypto|config\\systemprofile|logfiles))(?:\\|$)/i;
/** Linux and other Unix programs installed by the system's package manager. */
const UNIX_SYSTEM = /^\/(?:usr\/(?:s?bin|lib(?:exec|32|64)?)|s?bin|lib(?:32|64)?)\/[^/]+(?:\/[^/]+)*$/;
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

/** Servers that run others' requests: a shell under one is a web shell or a database command (xp_cmdshell). */
export const SERVER_APPS = new Set([
  'w3wp.exe',
  'sqlservr.exe',
  'httpd.exe',
  'nginx.exe',
  'php-cgi.exe',
  'tomcat.exe',
  'tomcat8.exe',
  'tomcat9.exe',
  'umworkerprocess.exe',
  'umservice.exe',
  'owstimer.exe',
]);

/**
 * Windows binaries whose name says "this is Windows": a copy of one in a user-writable folder, or a program whose
 * `OriginalFileName` is one of them but runs under another name, is a renamed or planted copy.
 */
export const WINDOWS_BINARIES = new Set([
  ...LOLBINS,
  ...CORE_WINDOWS_NAMES,
  'cmd.exe',
  'wmiprvse.exe',
  'appcmd.exe',
  'net.exe',
  'net1.exe',
  'whoami.exe',
  'reg.exe',
  'sc.exe',
  'schtasks.exe',
  'at.exe',
  'wevtutil.exe',
  'vssadmin.exe',
  'bcdedit.exe',
  'wbadmin.exe',
  'netsh.exe',
  'nltest.exe',
  'tasklist.exe',
  'taskkill.exe',
  'systeminfo.exe',
  'ipconfig.exe',
  'ntdsutil.exe',
  'dsquery.exe',
  'esentutl.exe',
  'expand.exe',
  'findstr.exe',
  'forfiles.exe',
  'hh.exe',
  'makecab.exe',
  'mavinject.exe',
  'msdt.exe',
  'pcalua.exe',
  'desktopimgdownldr.exe',
  'wuauclt.exe',
  'control.exe',
  'extrac32.exe',
  'cmdkey.exe',
  'curl.exe',
  'ftp.exe',
  'tar.exe',
  'psexesvc.exe',
  'sethc.exe',
  'utilman.exe',
  'osk.exe',
  'magnify.exe',
  'notepad.exe',
  'taskmgr.exe',
  'mmc.exe',
  'dism.exe',
  'werfault.exe',
  'consent.exe',
  'fodhelper.exe',
  'eventvwr.exe',
  'sdclt.exe',
  'computerdefaults.exe',
]);

/**
 * `OriginalFileName` as Sysmon reports it, compared by name: lower-case, without the `.mui` resource suffix
 * Windows binaries carry (`PowerShell.EXE.MUI`).
 */
export function originalName(value: string | undefined): string | undefined {
  const name = value
    ?.trim()
    .toLowerCase()
    .replace(/\.mui$/, '');
  return name && name !== '-' && name !== '?' ? name : undefined;
}

export function fileName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return (cut >= 0 ? path.slice(cut + 1) : path).toLowerCase();
}

/**
 * A program in the Windows directory tree (System32 and its subfolders, SysWOW64, WinSxS, Microsoft.NET…) outside
 * the folders users and services can write to: where Windows keeps its own binaries.
 */
export function isSystemPath(path: string): boolean {
  const match = WINDOWS_TREE.exec(path);
  if (!match) return false;
  const rest = (match[1] ?? match[2]) as string;
  // `%SystemRoot%\System32\x` and `C:\Windows\System32\x` name the same place.
  return !WRITABLE_IN_WINDOWS.test(rest) && !rest.includes('..') && !isUserWritable(path);
}

/** A program where a Linux or Unix system keeps its own: /usr/bin, /usr/sbin, /usr/lib…, /bin, /sbin, /lib. */
export function isUnixSystemPath(path: string): boolean {
  return UNIX_SYSTEM.test(path) && !path.includes('/../');
}

/** A binary of the operating system at its own place, Windows or Unix. */
export function isOperatingSystemPath(path: string): boolean {
  return isSystemPath(path) || isUnixSystemPath(path);
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
