import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PocError } from '../harness/errors.js';
import { RECONCILE_FINDINGS } from '../harness/recovery/findings.js';
import { Vocabulary } from '../harness/runs/vocabulary.js';
import type { Scenario } from '../harness/scenario.js';

/**
 * The playbook's scenarios, found by folder: every folder under scenarios/ is one scenario and
 * exports it from its definition.ts (harness/scenario.ts says what it declares). Nothing else
 * lists them, so a new scenario is a new folder. Definitions are light (schemas and finding
 * specs); each loads its run() on demand.
 */
const here = dirname(fileURLToPath(import.meta.url));
const folders = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

async function load(folder: string): Promise<Scenario> {
  // definition.js once built; definition.ts where the sources run directly (vitest).
  const file = ['definition.js', 'definition.ts'].map((name) => join(here, folder, name)).find(existsSync);
  if (!file) throw new Error(`scenarios/${folder}/ has no definition.ts: every folder here is a scenario`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const found = Object.values(module).filter(
    (v): v is Scenario => typeof v === 'object' && v !== null && 'id' in v && 'run' in v && 'options' in v,
  );
  if (found.length !== 1 || found[0]?.id !== folder)
    throw new Error(
      `scenarios/${folder}/definition.ts must export exactly one scenario, with id "${folder}"`,
    );
  return found[0];
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze(
  Object.fromEntries((await Promise.all(folders.map(load))).map((s) => [s.id, s])),
);

export function getScenario(id: string): Scenario {
  const scenario = SCENARIOS[id];
  if (!scenario) {
    throw new PocError(
      'POC_ERR_UNKNOWN_SCENARIO',
      `unknown scenario "${id}"; known: ${Object.keys(SCENARIOS).join(', ')}`,
    );
  }
  return scenario;
}

/** Every finding key poc can produce: each scenario's, and `poc reconcile`'s. */
export const VOCABULARY = new Vocabulary([
  ...Object.values(SCENARIOS).map((s) => s.findings),
  RECONCILE_FINDINGS,
]);

/** The scenarios other than `except` that take option `key` (to say where a refused option belongs). */
export function scenariosTaking(key: string, except?: string): string[] {
  return Object.values(SCENARIOS)
    .filter((s) => s.id !== except && key in s.options.shape)
    .map((s) => s.id);
}
