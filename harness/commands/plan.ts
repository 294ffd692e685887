import { PocError } from '../errors.js';
import { planMigration } from '../planning/migration.js';
import { RunStore } from '../runs/run-store.js';
import { getVendor } from '../vendors/index.js';

export interface PlanFlags {
  vendor: string;
  records: number;
  objects: string;
  headroom: number;
  dataDir: string;
  json: boolean;
}

const OBJECTS = ['contacts', 'companies', 'deals'];

/** `poc plan migration`: the calls, time and quota an initial import needs, arithmetic shown. */
export async function planMigrationCommand(flags: PlanFlags): Promise<string> {
  const vendor = getVendor(flags.vendor);
  const objects = flags.objects
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const unknown = objects.filter((o) => !OBJECTS.includes(o));
  if (objects.length === 0 || unknown.length > 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--objects: "${unknown.join(',') || flags.objects}" is not a list of ${OBJECTS.join(', ')}`,
    );
  }
  const store = new RunStore(flags.dataDir, { mode: 'read' });
  let measured: ReturnType<RunStore['latestFinding']>;
  try {
    measured = store.latestFinding(vendor.profile.id, 'rate-limit-probe', 'ratelimit.sustained_per_s');
  } finally {
    store.close();
  }
  const plan = planMigration({
    profile: vendor.profile,
    records: flags.records,
    objects,
    headroom: flags.headroom,
    ...(measured
      ? { measuredPerSecond: { value: measured.value, source: `rate-limit-probe run ${measured.runId}` } }
      : {}),
  });
  if (flags.json)
    return `${JSON.stringify({ vendor: vendor.profile.id, records: flags.records, objects, ...plan }, null, 2)}\n`;
  const width = Math.max(...plan.steps.map((s) => s.label.length));
  const lines = [
    `initial import of ${flags.records.toLocaleString('en-US')} records × ${objects.join(', ')} into ${vendor.profile.name}`,
    '',
    ...plan.steps.map((s) => `  ${s.label.padEnd(width)}  ${s.value.padEnd(16)}  ${s.arithmetic}`),
    '',
    plan.fitsInADay ? 'verdict: fits in one day' : `verdict: takes ${plan.days} days at this pace`,
  ];
  return `${lines.join('\n')}\n`;
}
