import { v1, v2 } from 'pipedrive';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicHeader } from '../../harness/vendors/pipedrive/auth.js';
import { createPipedriveAdapter } from '../../harness/vendors/pipedrive/index.js';
import type { ApiCallOutcome, VendorEvent } from '../../harness/vendors/types.js';
import { startMockPipedrive, startPipedriveReceiver } from '../helpers/pipedrive.js';
import type { StartedMock } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const SEQ_SUBSCRIPTION = { objectType: 'contacts', actions: ['update'], fields: ['poc_seq'] } as const;

async function firehose(mock: StartedMock, inputs: { externalId: string; fields: Record<string, string> }[]) {
  const res = await fetch(`${mock.url}/__admin/firehose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ objectType: 'contacts', inputs }),
  });
  expect(res.status).toBe(200);
}

async function truth(mock: StartedMock) {
  return (await (await fetch(`${mock.url}/__admin/truth`)).json()) as Record<string, number>;
}

describe('mock Pipedrive on the wire', () => {
  let mock: StartedMock;

  beforeEach(async () => {
    mock = await startMockPipedrive();
  });
  afterEach(async () => {
    await mock.close();
  });

  it('serves the official pipedrive SDK (v2 PersonsApi): create, get, update, cursor-paged list, search', async () => {
    const config = new v2.Configuration({ apiKey: mock.token, basePath: `${mock.url}/api/v2` });
    const persons = new v2.PersonsApi(config);
    const created = await persons.addPerson({
      AddPersonRequest: {
        name: 'Ada Lovelace',
        emails: [{ value: 'ada@example.com', primary: true, label: 'work' }],
      },
    });
    expect(created.success).toBe(true);
    const id = created.data?.id ?? 0;
    expect(created.data).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });

    // Custom fields are keyed by hash: find poc_seq's key through v1 PersonFieldsApi.
    const fields = await new v1.PersonFieldsApi(
      new v1.Configuration({ apiKey: mock.token, basePath: `${mock.url}/v1` }),
    ).getPersonFields();
    const seqKey = fields.data.find((f) => f.name === 'poc_seq')?.key ?? '';
    expect(seqKey).toMatch(/^[0-9a-f]{40}$/);

    const updated = await persons.updatePerson({
      id,
      UpdatePersonRequest: { custom_fields: { [seqKey]: '7' } },
    });
    expect(updated.data?.custom_fields?.[seqKey]).toBe('7');
    const read = await persons.getPerson({ id });
    expect(read.data?.emails?.[0]?.value).toBe('ada@example.com');
    expect(read.data?.custom_fields?.[seqKey]).toBe('7');

    for (const name of ['Grace Hopper', 'Alan Turing'])
      await persons.addPerson({ AddPersonRequest: { name } });
    const first = await persons.getPersons({ limit: 2 });
    expect(first.data?.map((p) => p.name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const cursor = first.additional_data?.next_cursor;
    expect(cursor).toBeTruthy();
    const second = await persons.getPersons({ limit: 2, ...(cursor ? { cursor } : {}) });
    expect(second.data?.map((p) => p.name)).toEqual(['Alan Turing']);
    expect(second.additional_data?.next_cursor).toBeNull();

    const found = await persons.searchPersons({
      term: 'ADA@example.com',
      fields: 'email',
      exact_match: true,
    });
    expect(found.data?.items?.[0]?.item?.id).toBe(id);
  });

  it('answers a wrong token with Pipedrive’s 401 body, through the SDK and the api_token query', async () => {
    expect.assertions(2);
    const persons = new v2.PersonsApi(
      new v2.Configuration({ apiKey: 'wrong', basePath: `${mock.url}/api/v2` }),
    );
    const expected = {
      success: false,
      error: 'unauthorized access',
      errorCode: 401,
      error_info: expect.any(String),
    };
    try {
      await persons.getPersons();
    } catch (body) {
      // The SDK rejects with the response body.
      expect(body).toEqual(expected);
    }
    const res = await fetch(`${mock.url}/api/v2/persons?api_token=wrong`);
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 401, body: expected });
  });

  it('counts the rolling 2 s window down in the headers and answers 429 past it', async () => {
    const small = await startMockPipedrive({ settings: { burstLimit: 5 } });
    try {
      const url = `${small.url}/api/v2/persons?api_token=${small.token}`;
      const remaining: number[] = [];
      const budget: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBe('5');
        expect(res.headers.get('x-ratelimit-reset')).toBe('2');
        remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
        budget.push(Number(res.headers.get('x-daily-ratelimit-token-remaining')));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      // A v2 list costs 10 tokens (half the v1 cost).
      expect(budget).toEqual([89_990, 89_980, 89_970, 89_960, 89_950]);
      const over = await fetch(url);
      expect(over.status).toBe(429);
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(over.headers.get('retry-after')).toBe('2');
      expect(await over.json()).toMatchObject({
        success: false,
        error: 'Request over limit',
        errorCode: 429,
      });
      expect((await truth(small)).rateLimited).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('spends the daily token budget by endpoint cost and answers 429 once it is gone', async () => {
    const poor = await startMockPipedrive({ settings: { dailyTokenBudget: 25 } });
    try {
      const url = `${poor.url}/api/v2/persons?api_token=${poor.token}`;
      const left: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        left.push(res.headers.get('x-daily-ratelimit-token-remaining') ?? '');
      }
      expect(left).toEqual(['15', '5']);
      const over = await fetch(url);
      expect(over.status).toBe(429);
      expect(await over.json()).toMatchObject({ success: false, error: 'Daily token budget exceeded' });
      // A single GET costs 1 token in v2 and still fits.
      expect((await fetch(`${poor.url}/api/v2/persons/1?api_token=${poor.token}`)).status).toBe(404);
    } finally {
      await poor.close();
    }
  });

  it('holds search endpoints to their own 10-per-window limit', async () => {
    const headers = { 'x-api-token': mock.token };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${mock.url}/api/v2/persons/search?term=x@y.z&fields=email&exact_match=true`, {
        headers,
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Other endpoints still answer: the general window has room.
    expect((await fetch(`${mock.url}/api/v2/persons`, { headers })).status).toBe(200);
  });

  it('upserts by email in two calls each, and delivers v2 events with Basic auth to the reference receiver', async () => {
    const adapter = createPipedriveAdapter();
    const receiver = await startPipedriveReceiver(adapter, [mock.secret]);
    const calls: ApiCallOutcome[] = [];
    const api = adapter.api({
      baseUrl: mock.url,
      token: mock.token,
      webhookSecret: mock.secret,
      onCall: (c) => calls.push(c),
    });
    const seen: VendorEvent[] = [];
    receiver.pipeline.events.on('accepted', (events) => seen.push(...events));
    try {
      await firehose(mock, [
        {
          externalId: 'ada@example.com',
          fields: { email: 'ada@example.com', firstname: 'Ada', lastname: 'L' },
        },
      ]);
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      // Configuring again replaces the webhook (its password may have changed) instead of adding one.
      await api.configureWebhooks(receiver.url, SEQ_SUBSCRIPTION);
      const hooks = (await (
        await fetch(`${mock.url}/v1/webhooks`, { headers: { 'x-api-token': mock.token } })
      ).json()) as { data: { event_action: string; version: string; http_auth_user: string }[] };
      expect(hooks.data).toEqual([
        expect.objectContaining({ event_action: 'change', version: '2.0', http_auth_user: 'poc' }),
      ]);
      calls.length = 0;
      const updated = await api.batchUpsert('contacts', [
        { externalId: 'ada@example.com', fields: { poc_seq: '1:2:3' } },
      ]);
      expect(updated).toEqual({ created: 0, updated: 1, errors: 0 });
      expect(calls.map((c) => c.operation)).toEqual(['persons.search', 'persons.update']);
      const created = await api.batchUpsert('contacts', [
        { externalId: 'bob@example.com', fields: { poc_seq: '2:3:4' } },
      ]);
      expect(created).toEqual({ created: 1, updated: 0, errors: 0 });

      await waitUntil(() => seen.length >= 1);
      // Only the `change` webhook exists, so the create of bob is not delivered.
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        type: 'change.person',
        action: 'update',
        attempt: 0,
        fields: { poc_seq: '1:2:3', email: 'ada@example.com', firstname: 'Ada', lastname: 'L' },
      });
      const t = await truth(mock);
      expect(t.emitted).toBe(1);
      expect(t.acknowledged).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('sends create, change and delete of a person to a *.person webhook, each in its own POST', async () => {
    const adapter = createPipedriveAdapter();
    const receiver = await startPipedriveReceiver(adapter, [mock.secret]);
    const seen: VendorEvent[] = [];
    receiver.pipeline.events.on('accepted', (events) => seen.push(...events));
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${mock.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-token': mock.token },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    try {
      const hook = await api('POST', '/v1/webhooks', {
        subscription_url: receiver.url,
        event_action: '*',
        event_object: 'person',
        http_auth_user: 'poc',
        http_auth_password: mock.secret,
        version: '2.0',
      });
      expect(hook.status).toBe(201);
      const created = (await (await api('POST', '/api/v2/persons', { name: 'Kay Dee' })).json()) as {
        data: { id: number };
      };
      const id = created.data.id;
      expect((await api('PATCH', `/api/v2/persons/${id}`, { name: 'Kay Dee Two' })).status).toBe(200);
      // Unchanged values make no change webhook.
      expect((await api('PATCH', `/api/v2/persons/${id}`, { name: 'Kay Dee Two' })).status).toBe(200);
      expect((await api('DELETE', `/api/v2/persons/${id}`)).status).toBe(200);
      expect((await api('GET', `/api/v2/persons/${id}`)).status).toBe(404);
      await waitUntil(() => seen.length >= 3);
      await new Promise((r) => setTimeout(r, 100));
      const byAction = Object.fromEntries(seen.map((e) => [e.action, e]));
      expect(seen).toHaveLength(3);
      expect(byAction.create?.fields).toMatchObject({ firstname: 'Kay', lastname: 'Dee' });
      expect(byAction.update?.fields).toMatchObject({ lastname: 'Dee Two' });
      expect(byAction.delete).toMatchObject({ objectId: String(id), type: 'delete.person', fields: {} });
      expect((await truth(mock)).attempts).toBe(3);
    } finally {
      await receiver.close();
    }
  });

  it('retries a delivery the receiver refuses (wrong Basic password) 3 times, then gives up', async () => {
    const adapter = createPipedriveAdapter();
    const receiver = await startPipedriveReceiver(adapter, [mock.secret]);
    try {
      const direct = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicHeader('poc', 'wrong') },
        body: '{}',
      });
      expect(direct.status).toBe(401);
      const hook = await fetch(`${mock.url}/v1/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-token': mock.token },
        body: JSON.stringify({
          subscription_url: receiver.url,
          event_action: 'create',
          event_object: 'person',
          http_auth_user: 'poc',
          http_auth_password: 'not-the-secret',
          version: '2.0',
        }),
      });
      expect(hook.status).toBe(201);
      expect(((await hook.json()) as { data: unknown }).data).toMatchObject({
        http_auth_user: 'poc',
        http_auth_password: '******',
      });
      await firehose(mock, [{ externalId: 'eve@example.com', fields: { email: 'eve@example.com' } }]);
      await waitUntil(async () => (await truth(mock)).dropped === 1);
      const t = await truth(mock);
      // One attempt and the 3 retries of the (unverified) 3 s / 30 s / 150 s schedule.
      expect(t.attempts).toBe(4);
      expect(t.acknowledged).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('filters and sorts the v2 list (updated_since, sort_by, sort_direction) and caps limit at 500', async () => {
    const headers = { 'x-api-token': mock.token };
    await firehose(mock, [
      { externalId: 'a@example.com', fields: { email: 'a@example.com', firstname: 'A' } },
      { externalId: 'b@example.com', fields: { email: 'b@example.com', firstname: 'B' } },
    ]);
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await firehose(mock, [{ externalId: 'a@example.com', fields: { lastname: 'Later' } }]);
    const get = async (query: string) => {
      const res = await fetch(`${mock.url}/api/v2/persons?${query}`, { headers });
      return {
        status: res.status,
        body: (await res.json()) as { data: { name: string }[] | null; error?: string },
      };
    };
    expect((await get('sort_by=id&sort_direction=desc')).body.data?.map((p) => p.name)).toEqual([
      'B',
      'A Later',
    ]);
    expect((await get(`updated_since=${encodeURIComponent(since)}`)).body.data?.map((p) => p.name)).toEqual([
      'A Later',
    ]);
    const tooMany = await get('limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ success: false, error: 'limit must be at most 500', data: null });
  });

  it('authenticates the adapter by api_token query or OAuth bearer, and never puts the token in an error', async () => {
    const upsert = (auth: string, token: string) =>
      createPipedriveAdapter()
        .api({ baseUrl: mock.url, token, settings: { auth } })
        .batchUpsert('contacts', [{ externalId: 'q@example.com', fields: { poc_seq: '1:1:1' } }]);
    expect(await upsert('query', mock.token)).toEqual({ created: 1, updated: 0, errors: 0 });
    expect(await upsert('oauth', mock.token)).toEqual({ created: 0, updated: 1, errors: 0 });
    const wrong = 'wrong-token-that-must-not-leak';
    const failure = await upsert('query', wrong).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('401');
    expect((failure as Error).message).not.toContain(wrong);
    // OAuth tokens get 4x the api_token burst window.
    const bearer = await fetch(`${mock.url}/api/v2/persons`, {
      headers: { authorization: `Bearer ${mock.token}` },
    });
    expect(bearer.headers.get('x-ratelimit-limit')).toBe('320');
  });

  it('holds deliveries during an injected outage counted from the mock’s start, not the webhook’s', async () => {
    const startedAt = Date.now();
    const down = await startMockPipedrive({ faults: { outages: [{ startMs: 500, durationMs: 400 }] } });
    const adapter = createPipedriveAdapter();
    const receiver = await startPipedriveReceiver(adapter, [down.secret]);
    const arrivals: number[] = [];
    receiver.pipeline.events.on('accepted', () => arrivals.push(Date.now() - startedAt));
    try {
      await new Promise((r) => setTimeout(r, 300 - (Date.now() - startedAt)));
      const api = adapter.api({ baseUrl: down.url, token: down.token, webhookSecret: down.secret });
      await api.configureWebhooks(receiver.url, { objectType: 'contacts', actions: ['create'], fields: [] });
      await new Promise((r) => setTimeout(r, 600 - (Date.now() - startedAt)));
      await firehose(down, [{ externalId: 'o@example.com', fields: { email: 'o@example.com' } }]);
      await waitUntil(() => arrivals.length === 1);
      expect(arrivals[0]).toBeGreaterThanOrEqual(900);
    } finally {
      await receiver.close();
      await down.close();
    }
  });

  it('serves v1 webhooks through the SDK and refuses the 41st webhook of a user', async () => {
    const webhooks = new v1.WebhooksApi(
      new v1.Configuration({ apiKey: mock.token, basePath: `${mock.url}/v1` }),
    );
    const request = {
      subscription_url: 'http://127.0.0.1:9/hook',
      event_action: 'change',
      event_object: 'person',
      name: 'poc',
      version: '2.0',
    } as const;
    for (let i = 0; i < 40; i++) await webhooks.addWebhook({ AddWebhookRequest: request });
    const listed = await webhooks.getWebhooks();
    expect(listed.data).toHaveLength(40);
    await expect(webhooks.addWebhook({ AddWebhookRequest: request })).rejects.toMatchObject({
      success: false,
      error: expect.stringContaining('40 webhooks'),
    });
    const id = listed.data?.[0]?.id ?? 0;
    expect((await webhooks.deleteWebhook({ id })).success).toBe(true);
    expect((await webhooks.addWebhook({ AddWebhookRequest: request })).success).toBe(true);
  });

  it('checks access for poc doctor: token, permissions and every API poc calls', async () => {
    const api = (token: string, settings?: Record<string, string>) =>
      createPipedriveAdapter().api({ baseUrl: mock.url, token, ...(settings ? { settings } : {}) });
    const ok = await api(mock.token).checkAccess?.();
    expect(ok?.map((c) => [c.name, c.ok])).toEqual([
      ['token', true],
      ['permissions', true],
      ['persons api', true],
      ['persons search', true],
      ['webhooks api', true],
    ]);
    expect(ok?.[0]?.detail).toBe('valid for user 9876543 of company poc-sandbox');
    // The same through the api_token query parameter, which must never reach a detail.
    const viaQuery = await api(mock.token, { auth: 'query' }).checkAccess?.();
    expect(viaQuery?.every((c) => c.ok)).toBe(true);

    const wrong = 'wrong-token-that-must-not-leak';
    for (const auth of ['header', 'query']) {
      const refused = await api(wrong, { auth }).checkAccess?.();
      expect(refused).toEqual([
        {
          name: 'token',
          ok: false,
          detail:
            'GET /v1/users/me answered 401 unauthorized access: the token is refused: check POC_PIPEDRIVE_API_TOKEN',
        },
      ]);
    }
  });

  it('names the permission poc lacks, and the mock refuses what it guards', async () => {
    const limited = await startMockPipedrive({
      settings: { userPermissions: { can_add_custom_fields: false } },
    });
    try {
      const checks = await createPipedriveAdapter()
        .api({ baseUrl: limited.url, token: limited.token })
        .checkAccess?.();
      const permissions = checks?.find((c) => c.name === 'permissions');
      expect(permissions?.ok).toBe(false);
      expect(permissions?.detail).toMatch(/^missing can_add_custom_fields: /);
      expect(checks?.filter((c) => !c.ok).map((c) => c.name)).toEqual(['permissions']);
      const me = (await (await fetch(`${limited.url}/v1/users/me?api_token=${limited.token}`)).json()) as {
        data: { access: { admin: boolean }[] };
      };
      expect(me.data.access[0]?.admin).toBe(false);
      const create = await fetch(`${limited.url}/v1/personFields`, {
        method: 'POST',
        headers: { 'x-api-token': limited.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'poc_seq', field_type: 'varchar' }),
      });
      expect(create.status).toBe(403);
      expect(await create.json()).toMatchObject({ success: false, data: null });
    } finally {
      await limited.close();
    }
  });

  it('probes once, without retrying, and reads the limit headers from the drawn limiter', async () => {
    const small = await startMockPipedrive({
      settings: { rateLimit: { style: 'fixed', limit: 3, windowMs: 3_600_000 } },
    });
    try {
      const api = createPipedriveAdapter().api({ baseUrl: small.url, token: small.token });
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await api.probe?.());
      expect(results.map((r) => [r?.status, r?.throttled, r?.advertised.remaining])).toEqual([
        [200, false, 2],
        [200, false, 1],
        [200, false, 0],
        [429, true, 0],
      ]);
      expect(results[0]?.advertised).toMatchObject({ limit: 3, dailyRemaining: 89_990 });
      // A fixed window (an hour, so no boundary falls inside the test) resets at its boundary:
      // the reset and Retry-After count down to it.
      const resetMs = results[0]?.advertised.resetMs ?? 0;
      expect(resetMs).toBeGreaterThan(0);
      expect(resetMs).toBeLessThanOrEqual(3_600_000);
      expect(results[3]?.retryAfterMs).toBe(results[3]?.advertised.resetMs);
      expect((await truth(small)).apiRequests).toBe(4);
    } finally {
      await small.close();
    }
  });
});
