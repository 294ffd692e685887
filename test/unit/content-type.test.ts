import { describe, expect, it } from 'vitest';
import { acceptsContentType } from '../../harness/pipeline/content-type.js';

describe('acceptsContentType', () => {
  const json = ['application/json'];

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; Charset="UTF-8"',
    'application/json;charset=utf8',
    'application/json; boundary=x',
    'application/json;',
    '  application/json  ',
  ])('accepts %j for a JSON vendor', (header) => {
    expect(acceptsContentType(header, json)).toBe(true);
  });

  it.each([
    undefined,
    '',
    ';;;',
    'text/plain',
    'application/jsonx',
    'application/json-patch+json',
    'text/json',
    'application/json; charset=utf-16',
    'application/json; charset=iso-8859-1; foo=bar',
    'application/json; charset=utf-8; charset=latin1',
    'application/x-www-form-urlencoded',
    'x'.repeat(2000),
  ])('refuses %j for a JSON vendor', (header) => {
    expect(acceptsContentType(header, json)).toBe(false);
  });

  it('takes each vendor at its own types', () => {
    expect(acceptsContentType('text/xml; charset=utf-8', ['text/xml'])).toBe(true);
    expect(acceptsContentType('application/json', ['text/xml'])).toBe(false);
    expect(acceptsContentType('text/xml', json)).toBe(false);
  });
});
