/**
 * A throwaway PostgreSQL cluster for the test run, used when no `AUTOIR_TEST_DATABASE_URL` is given: Debian's
 * `initdb`/`pg_ctl` in a temporary directory, on a free port, trust auth, stopped and deleted afterwards.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Cluster {
  readonly url: string;
  /** Stop the server (fast shutdown: connections are cut) and start it again on the same port. */
  restart(): void;
  stop(): void;
}

function findBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((name) => existsSync(path.join(base, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(path.join(dir, 'initdb'))) return dir;
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startThrowawayCluster(): Promise<Cluster> {
  const bin = findBinDir();
  if (!bin) {
    throw new Error(
      'The PostgreSQL tests need a server. Either set AUTOIR_TEST_DATABASE_URL=postgres://user@host:port/db, ' +
        'or install PostgreSQL (Debian: apt-get install -y postgresql) so the tests can start a throwaway cluster.',
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-pg-'));
  const dataDir = path.join(dir, 'data');
  // initdb refuses to run as root: run the cluster as the `postgres` user the Debian package creates.
  const asRoot = process.getuid?.() === 0;
  let run = (command: string, args: string[]) =>
    execFileSync(path.join(bin, command), args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
    run = (command, args) =>
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { stdio: 'pipe' });
  }
  const port = await freePort();
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    run('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      '-w',
      'start',
    ]);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not start a throwaway PostgreSQL cluster with ${bin}: ${stderr || (error as Error).message}`,
    );
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart() {
      // With its log file named: a server started writing to pg_ctl's output would hold it open for ever.
      run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'log'), '-m', 'fast', '-w', 'restart']);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
