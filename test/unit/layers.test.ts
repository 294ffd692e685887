import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The directions imports may point in, written down once (README's layout section repeats
 * them). Data flows CLI -> scenario -> target + pipeline -> run store -> reports; each rule
 * names what a folder must not import, and the few files that are the sanctioned exception.
 */
const RULES: readonly { from: string; forbid: readonly string[]; except?: readonly string[]; why: string }[] =
  [
    {
      from: 'harness/',
      forbid: ['scenarios/', 'reports/', 'scorecards/', 'mock-vendor/'],
      except: ['harness/cli.ts', 'harness/commands/'],
      why: 'only the CLI edge (harness/cli.ts, harness/commands/) wires scenarios, reports, scorecards and the mock together',
    },
    {
      from: 'scenarios/',
      forbid: [
        'reports/',
        'scorecards/',
        'mock-vendor/',
        'harness/cli.ts',
        'harness/commands/',
        'harness/runner.ts',
      ],
      why: 'a scenario sees the contract (harness/scenario.ts) and a Target, never the mock’s internals or the presenters',
    },
    {
      from: 'reports/',
      forbid: ['scenarios/', 'scorecards/', 'mock-vendor/', 'harness/'],
      except: ['harness/runs/', 'harness/scenario.ts'],
      why: 'reports read run results from harness/runs only',
    },
    {
      from: 'scorecards/',
      forbid: ['scenarios/', 'reports/', 'mock-vendor/', 'harness/'],
      except: [
        'harness/runs/',
        'harness/errors.ts',
        'harness/package-root.ts',
        'harness/vendors/index.ts',
        'harness/config/yaml-document.ts',
      ],
      why: 'the scorecard reads stored runs and the vendor ids, never targets or pipelines',
    },
    {
      from: 'harness/vendors/',
      forbid: [
        'harness/pipeline/',
        'harness/targets/',
        'harness/runner.ts',
        'harness/scenario.ts',
        'harness/recovery/',
      ],
      except: ['harness/pipeline/outbound/'],
      why: 'a vendor folder knows its vendor and talks through the outbound client, not through pipeline internals',
    },
    {
      from: 'mock-vendor/',
      forbid: ['harness/', 'scenarios/', 'reports/', 'scorecards/'],
      except: ['harness/vendors/', 'harness/errors.ts', 'harness/duration.ts', 'harness/faults.ts'],
      why: 'the mock shares wire formats and documented facts with the adapters, nothing of the harness',
    },
  ];

/** Only these import the mock's code: the command that serves it (tests aside). */
const MOCK_IMPORTERS = ['harness/commands/mock-vendor.ts', 'mock-vendor/'];

/** Where the mock's imports must never lead, however indirectly: the HTTP client, the pipeline. */
const MOCK_NEVER_REACHES = ['harness/pipeline/', 'harness/telemetry/', 'harness/targets/'];

const root = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const FOLDERS = ['harness', 'scenarios', 'mock-vendor', 'reports', 'scorecards'];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly path: string;
  /** `import type`: erased at build, so it couples the layers but loads nothing. */
  readonly typeOnly: boolean;
}

/** Every relative import of a file (static, re-export and dynamic with a literal path), resolved. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [
    ...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms),
    ...[...text.matchAll(/import\s*\(\s*'(\.{1,2}\/[^']+)'/g)].map((m) => [m[0], undefined, m[1]]),
  ];
  return found.map((m) => ({
    path: relative(root, join(root, dirname(file), m[2] ?? '')).replace(/\.js$/, '.ts'),
    typeOnly: m[1] !== undefined,
  }));
}

const files = FOLDERS.flatMap(sources);
const imports = new Map(files.map((f) => [f, importsOf(f)]));
const graph = new Map([...imports].map(([f, list]) => [f, list.map((i) => i.path)]));
const runtimeGraph = new Map(
  [...imports].map(([f, list]) => [f, list.filter((i) => !i.typeOnly).map((i) => i.path)]),
);
const under = (path: string, prefixes: readonly string[]) =>
  prefixes.some((p) => path === p || path.startsWith(p));

describe('imports point the way the layers go', () => {
  it('reads the whole tree (the test cannot pass on nothing)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(graph.get('harness/runner.ts')).toContain('harness/scenario.ts');
  });

  it.each(RULES)('$from: $why', ({ from, forbid, except = [], why }) => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      if (!file.startsWith(from) || under(file, except)) continue;
      for (const target of imports) {
        if (under(target, forbid) && !under(target, except)) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong, why).toEqual([]);
  });

  it('only the mock-vendor command imports the mock', () => {
    const wrong = [...graph]
      .filter(([file]) => !under(file, MOCK_IMPORTERS))
      .flatMap(([file, imports]) =>
        imports.filter((t) => t.startsWith('mock-vendor/')).map((t) => `${file} -> ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('the mock’s code never loads the HTTP client, the pipeline or telemetry, even indirectly', () => {
    const wrong: string[] = [];
    for (const file of files.filter((f) => f.startsWith('mock-vendor/'))) {
      const seen = new Set<string>();
      const stack: string[][] = [[file]];
      while (stack.length > 0) {
        const path = stack.pop() as string[];
        const at = path.at(-1) as string;
        if (seen.has(at)) continue;
        seen.add(at);
        if (under(at, MOCK_NEVER_REACHES)) {
          wrong.push(path.join(' -> '));
          continue;
        }
        for (const next of runtimeGraph.get(at) ?? []) stack.push([...path, next]);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
