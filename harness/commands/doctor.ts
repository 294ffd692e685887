import { EXIT, type ExitCode } from '../errors.js';
import { readSecret } from '../secrets.js';
import { liveTarget } from '../targets/live.js';
import { startMockTarget } from '../targets/mock.js';
import type { Target } from '../targets/types.js';
import { getVendor } from '../vendors/index.js';
import type { AccessCheck } from '../vendors/types.js';

export interface DoctorFlags {
  vendor: string;
  live: boolean;
}

/**
 * `poc doctor`: before spending a run, check that the vendor is reachable with the credentials
 * and scopes poc needs, and say what is missing. Prints names of variables, never their values.
 */
export async function doctorCommand(flags: DoctorFlags, out: (line: string) => void): Promise<ExitCode> {
  const vendor = getVendor(flags.vendor);
  const checks: AccessCheck[] = [];
  if (flags.live) {
    const env = vendor.profile.credentialsEnv;
    for (const name of [env.token, env.webhookSecret]) {
      const present = readSecret(name) !== undefined;
      checks.push({
        name: 'credentials',
        ok: present,
        detail: present ? `${name} is set` : `${name} is not set (nor ${name}_FILE)`,
      });
    }
    if (checks.some((c) => !c.ok)) {
      print(vendor.profile.name, 'live', checks, out);
      return EXIT.usage;
    }
  }
  let target: Target | undefined;
  try {
    target = flags.live ? liveTarget(vendor) : await startMockTarget(vendor, { faults: [], timeScale: 1 });
    const api = vendor.api({
      baseUrl: target.baseUrl,
      token: target.credentials.token,
      settings: target.settings,
    });
    if (api.checkAccess) checks.push(...(await api.checkAccess()));
    else
      checks.push({
        name: 'api',
        ok: false,
        detail: `no access check is written for ${vendor.profile.id} yet`,
      });
    print(vendor.profile.name, target.describe(), checks, out);
  } finally {
    await target?.stop();
  }
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
}

function print(
  name: string,
  where: string,
  checks: readonly AccessCheck[],
  out: (line: string) => void,
): void {
  out(`${name} — ${where}`);
  for (const c of checks) out(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
}
