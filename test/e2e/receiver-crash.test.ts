import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { freePort, spawnCli, stopChild, waitForLine } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

const TOKEN = 'pat-crash-test-token';
const SECRET = 'crash-test-client-secret';

interface Truth {
  emitted: number;
  acknowledged: number;
  failedAttempts: number;
  dropped: number;
  pending: number;
  injectedDuplicates: number;
  emittedPerObject: Record<string, number>;
}

describe('receiver killed with SIGKILL in the middle of a storm', () => {
  const data = tempDir('poc-crash-');
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopChild(c, 'SIGKILL');
    data.remove();
  });

  function startReceiver(port: number): ChildProcess {
    const child = spawnCli(
      [
        'receiver',
        '--vendor',
        'hubspot',
        '--port',
        String(port),
        '--data-dir',
        data.path,
        '--durability',
        'power-loss',
      ],
      { env: { POC_HUBSPOT_CLIENT_SECRET: SECRET } },
    );
    children.push(child);
    return child;
  }

  it('loses nothing and applies nothing twice once the vendor’s retries have run', async () => {
    // The vendor's ~24 h retry schedule compressed 2000x: retries 15 ms, 30 ms, 90 ms, 0.3 s, 0.9 s, 1.8 s...
    const mock = spawnCli(
      [
        'mock-vendor',
        '--vendor',
        'hubspot',
        '--port',
        '0',
        '--ready-line',
        '--time-scale',
        '2000',
        '--fault',
        'duplicate=0.02',
      ],
      { env: { POC_MOCK_TOKEN: TOKEN, POC_MOCK_WEBHOOK_SECRET: SECRET } },
    );
    children.push(mock);
    const mockUrl = (JSON.parse(await waitForLine(mock, /"ready"/)) as { url: string }).url;
    const port = await freePort();
    let receiver = startReceiver(port);
    await waitForLine(receiver, /listening on/);

    const api = hubspotApi({ baseUrl: mockUrl, token: TOKEN });
    await api.configureWebhooks(`http://127.0.0.1:${port}/webhooks/hubspot`, {
      objectType: 'contacts',
      actions: ['update'],
      fields: ['poc_seq'],
    });
    const firehose = async (batch: number) => {
      const inputs = Array.from({ length: 100 }, (_, i) => ({
        externalId: `crash-${i * 3}@poc.example`,
        fields: { poc_seq: `${batch}-${i}` },
      }));
      const res = await fetch(`${mockUrl}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objectType: 'contacts', inputs }),
      });
      expect(res.status).toBe(200);
    };

    // ~1,000 events/s for 4 s; SIGKILL at 1.5 s, restart at 2.5 s.
    let batch = 0;
    const started = Date.now();
    let killed = false;
    let restarted = false;
    while (Date.now() - started < 4000) {
      await firehose(batch++);
      const elapsed = Date.now() - started;
      if (!killed && elapsed > 1500) {
        await stopChild(receiver, 'SIGKILL');
        killed = true;
      }
      if (killed && !restarted && elapsed > 2500) {
        receiver = startReceiver(port);
        await waitForLine(receiver, /listening on/);
        restarted = true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(restarted).toBe(true);

    // Wait until the vendor has nothing left to deliver and the receiver has drained its queue.
    const truthNow = async () => (await (await fetch(`${mockUrl}/__admin/truth`)).json()) as Truth;
    let truth = await truthNow();
    const until = Date.now() + 60_000;
    while (Date.now() < until && (truth.pending > 0 || truth.acknowledged + truth.dropped < truth.emitted)) {
      await new Promise((r) => setTimeout(r, 200));
      truth = await truthNow();
    }
    const db = new Database(join(data.path, 'pipeline.db'), { readonly: true });
    try {
      const queued = () => db.prepare('SELECT COUNT(*) FROM queue').pluck().get() as number;
      while (Date.now() < until && queued() > 0) await new Promise((r) => setTimeout(r, 100));
      expect(queued()).toBe(0);

      expect(truth.emitted).toBe(batch * 100);
      // The kill really cost deliveries, which the vendor then retried.
      expect(truth.failedAttempts).toBeGreaterThan(0);
      expect(truth.dropped).toBe(0);
      expect(truth.acknowledged).toBe(truth.emitted);

      // Per record, the local store applied exactly the events the vendor emitted for it:
      // fewer would be loss, more would be a duplicate applied.
      const applied = new Map(
        (
          db.prepare('SELECT object_id, events_applied FROM records').all() as {
            object_id: string;
            events_applied: number;
          }[]
        ).map((r) => [r.object_id, r.events_applied]),
      );
      expect(applied).toEqual(new Map(Object.entries(truth.emittedPerObject)));
      const dead = db.prepare('SELECT COUNT(*) FROM dead_letter').pluck().get();
      expect(dead).toBe(0);
    } finally {
      db.close();
    }
  });
});
