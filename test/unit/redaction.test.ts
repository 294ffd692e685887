import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS, redactText, SECRET_FIELDS } from '../../harness/log.js';

describe('redactText (vendor error bodies)', () => {
  it('removes a token we sent that the vendor echoes in its error body', () => {
    const token = 'pat-na1-0123456789abcdef';
    const body = `{"status":"error","message":"The token ${token} is not valid for portal 62515"}`;
    const out = redactText(body, [`Bearer ${token}`]);
    expect(out).not.toContain(token);
    expect(out).toContain('portal 62515');
  });

  it('censors a password field, in JSON and as a form pair, and keeps its neighbours', () => {
    expect(redactText('{"username":"ana","password":"hunter2!x"}')).toBe(
      '{"username":"ana","password":"[redacted]"}',
    );
    expect(redactText('user=ana&password=hunter2!x&remember=1')).toBe(
      'user=ana&password=[redacted]&remember=1',
    );
  });

  it('censors an Authorization value and keeps its scheme, whatever the case', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redactText('{"authorization":"Basic dXNlcjpwYXNzd29yZA=="}')).toBe(
      '{"authorization":"Basic [redacted]"}',
    );
  });

  it('censors every listed field in `field: value` and `"field":"value"` shapes', () => {
    for (const field of SECRET_FIELDS) {
      expect(redactText(`${field}: s3cr3t-value`)).toBe(`${field}: [redacted]`);
      expect(redactText(`{"${field}":"s3cr3t-value"}`)).toBe(`{"${field}":"[redacted]"}`);
    }
  });

  it('catches names that end in a listed one (a token endpoint’s id_token, client_secret)', () => {
    const out = redactText('{"id_token":"eyJ.x.y","client_secret":"cs-123","expires_in":3600}');
    expect(out).toBe('{"id_token":"[redacted]","client_secret":"[redacted]","expires_in":3600}');
  });

  it('leaves short sent values alone: they would cut ordinary words out of the text', () => {
    expect(redactText('{"message":"contact not found"}', ['not'])).toBe('{"message":"contact not found"}');
  });
});

describe('REDACT_PATHS (the logger)', () => {
  function logged(object: Record<string, unknown>): Record<string, unknown> {
    let line = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        line += String(chunk);
        done();
      },
    });
    pino({ base: null, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, sink).warn(object);
    return JSON.parse(line) as Record<string, unknown>;
  }

  it('censors listed fields at the top, one level down and among headers, hyphenated names too', () => {
    const line = logged({
      token: 't-1',
      'x-api-token': 't-2',
      vendor: { password: 'p-1', 'x-api-token': 't-3' },
      headers: { authorization: 'Bearer t-4', accept: 'application/json' },
    });
    expect(line).toMatchObject({
      token: '[redacted]',
      'x-api-token': '[redacted]',
      vendor: { password: '[redacted]', 'x-api-token': '[redacted]' },
      headers: { authorization: '[redacted]', accept: 'application/json' },
    });
  });
});
