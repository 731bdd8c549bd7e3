// Lint, type check and the whole test suite; ends with one line "N passed, N failed" for whoever reads the log.
// `node scripts/check.mjs --tests-only FILTER…` runs only the test files whose path contains a filter (no lint).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0;

const testsOnly = process.argv[2] === '--tests-only';
const filters = testsOnly ? process.argv.slice(3) : [];

let failedChecks = 0;
for (const [name, args] of testsOnly
  ? []
  : [
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
  ...filters,
]);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  // A file that fails to load fails no single test: count each such file as one failure, by name.
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      console.error(`✗ ${file.name} did not load: ${(file.message ?? '').split('\n')[0]}`);
      failed++;
    }
  }
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (skipped > 0)
    console.log(
      `${skipped} skipped (the extended suite runs when the shared data set is present: docs/development.md)`,
    );
  // A failed global setup fails no file either.
  if (failed === 0 && !report.success) failed = 1;
} catch {
  console.error('✗ the test run left no report (it crashed before reporting)');
  failed++;
}
failed += failedChecks;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
