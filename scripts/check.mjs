// Lint, type check and the whole test suite; ends with one line "N passed, N failed" for whoever reads the log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0;

let failedChecks = 0;
for (const [name, args] of [
  ['lint', ['run', 'lint']],
  ['type check', ['run', 'typecheck']],
]) {
  if (!run('npm', args)) {
    console.error(`✗ ${name} failed`);
    failedChecks++;
  }
}

mkdirSync('test-results', { recursive: true });
rmSync('test-results/vitest.json', { force: true });
run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  // A file that fails to load, or a failed global setup, fails no single test: count it anyway.
  if (failed === 0 && !report.success) failed = Math.max(1, report.numFailedTestSuites ?? 0);
} catch {
  console.error('✗ the test run left no report (it crashed before reporting)');
  failed++;
}
failed += failedChecks;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
