import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a command is on PATH. */
export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Tests that need a Debian-packaged tool skip with a loud message locally and fail in CI, where
 * .ci/run installs it.
 */
export function requireTools(tools: readonly string[], packages: string): boolean {
  const missing = tools.filter((t) => !hasCommand(t));
  if (missing.length === 0) return true;
  const message = `${missing.join(', ')} not found: apt-get install ${packages}`;
  if (process.env.CI) throw new Error(`${message} (.ci/run installs it; CI must not skip this test)`);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return false;
}

/**
 * Opens a workbook in LibreOffice headless, recalculates every formula (a throw-away profile sets
 * recalculation on load: LibreOffice trusts an xlsx's cached values otherwise) and saves it as
 * xlsx in `outDir`, as Excel would after F9.
 */
export function recalculate(xlsx: string, outDir: string): string {
  const profile = join(outDir, 'lo-profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
  writeFileSync(
    join(profile, 'user', 'registrymodifications.xcu'),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  const out = join(outDir, 'recalculated');
  execFileSync(
    'soffice',
    [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', out, xlsx],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return join(out, xlsx.split('/').at(-1) as string);
}
