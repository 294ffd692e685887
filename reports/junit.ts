import type { RunOutcome } from '../harness/runs/outcome.js';

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The run's checks as JUnit XML, one test case per check, so a CI system shows a failed
 * threshold as a failed test with the measured value.
 */
export function renderJunit(outcome: RunOutcome): string {
  const failures = outcome.checks.filter((c) => !c.passed).length;
  const suite = `poc.${outcome.scenario}.${outcome.vendor}`;
  const cases = outcome.checks.map((c) => {
    const name = xml(`${c.key} ${c.op} ${c.threshold}`);
    const open = `    <testcase classname="${xml(suite)}" name="${name}">`;
    if (c.passed) return `${open}</testcase>`;
    const got = c.value === null ? 'not measured' : String(c.value);
    return `${open}\n      <failure message="${xml(`got ${got}`)}" type="threshold">${xml(`${c.key} ${c.op} ${c.threshold} failed: got ${got}`)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="poc" tests="${outcome.checks.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${outcome.checks.length}" failures="${failures}" timestamp="${new Date().toISOString()}">`,
    `    <properties><property name="run_id" value="${xml(outcome.runId)}"/><property name="target" value="${xml(outcome.target)}"/><property name="status" value="${outcome.status}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
