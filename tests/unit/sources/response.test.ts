import { describe, expect, it } from 'vitest';
import { type HttpAnswer, type ResponseFormat, CentricResponseSchema, interpretResponse, parseJsonPath, parseRetryAfter, readMapped, readPath } from '../../../lib/sources';

const URL_ = 'https://api.example.com/v1/customers/ann%40acme.com';
const CENTRIC: ResponseFormat = { kind: 'centric' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function answer(status: number, bodyText: string, headers: Record<string, string> = JSON_TYPE, extra: Partial<HttpAnswer> = {}): HttpAnswer {
  return { requestUrl: URL_, status, headers, bodyText, ...extra };
}

function errorOf(a: HttpAnswer, format: ResponseFormat = CENTRIC) {
  const result = interpretResponse(a, format);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.score)}`);
  return result.error;
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Acme SSO</title></head>
<body><form method="post" action="/login"><input name="user"><input type="password" name="pw"><button>Sign in</button></form></body></html>`;

describe('interpretResponse: the Centric JSON', () => {
  it('reads a full answer, ignoring unknown fields and treating null as absent', () => {
    const body = JSON.stringify({
      tier: 'Gold',
      clv: 1234.5,
      next12Months: 310.25,
      pAlive: 0.82,
      expectedTransactions: 2.4,
      segment: 'Wholesale',
      treatment: { title: 'Call back today', guidance: 'Offer the loyalty upgrade.' },
      updatedAt: '2025-03-12T10:42:00Z',
      tierColor: '#FACC15',
      customerId: 1042,
      currency: 'EUR',
      rank: null,
      segmentCode: null,
      clvLow: null,
    });
    expect(interpretResponse(answer(200, body), CENTRIC)).toEqual({
      ok: true,
      score: {
        tier: 'Gold',
        clv: 1234.5,
        next12Months: 310.25,
        pAlive: 0.82,
        expectedTransactions: 2.4,
        segment: 'Wholesale',
        treatment: { title: 'Call back today', guidance: 'Offer the loyalty upgrade.' },
        updatedAt: '2025-03-12T10:42:00Z',
        tierColor: '#facc15',
        customerId: '1042',
      },
    });
    expect(interpretResponse(answer(200, '{"tier":"Lead","treatment":"Self-service first","clv":null,"tierColor":"#abc"}'), CENTRIC)).toEqual({
      ok: true,
      score: { tier: 'Lead', treatment: { title: 'Self-service first' }, tierColor: '#aabbcc' },
    });
  });

  it('wrong shape names the field: missing tier', () => {
    expect(errorOf(answer(200, '{"clv": 12, "pAlive": 0.5}'))).toEqual({ kind: 'wrong-shape', retryable: false, message: 'The answer is missing "tier" (a string).' });
  });

  it('wrong shape names every wrong field and what it should be', () => {
    expect(errorOf(answer(200, '{"tier": "Gold", "clv": "1,234", "pAlive": 1.7, "updatedAt": "yesterday"}')).message).toBe(
      'In the answer, "clv" is "1,234"; it should be a number. In the answer, "pAlive" is 1.7; it should be a number between 0 and 1. ' +
        'In the answer, "updatedAt" is "yesterday"; it should be an ISO date and time such as 2025-03-12T10:42:00Z.',
    );
    expect(errorOf(answer(200, '[{"tier": "Gold"}]')).message).toBe('The answer should be a JSON object with "tier" (it is a list).');
    expect(errorOf(answer(200, '{"tier": ""}')).message).toBe('In the answer, "tier" is ""; it should be a string, not empty.');
  });

  it('the schema is exported for the service documentation', () => {
    expect(CentricResponseSchema.safeParse({ tier: 'Gold', extra: 1 }).success).toBe(true);
    expect(CentricResponseSchema.safeParse({ tier: 'Gold', pAlive: -0.1 }).success).toBe(false);
  });
});

describe('interpretResponse: status codes', () => {
  it('401: check the API key', () => {
    expect(errorOf(answer(401, '{"error":"invalid_token"}'))).toEqual({
      kind: 'auth',
      status: 401,
      retryable: false,
      message: 'The service refused the API key (401). Check the API key in Options → Sources.',
    });
  });

  it('403 (even with a login page as body): check the API key', () => {
    const error = errorOf(answer(403, LOGIN_PAGE, { 'content-type': 'text/html' }));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/^The service refused access \(403\).*Check the API key in Options → Sources\.$/);
  });

  it('404: not known to the service', () => {
    expect(errorOf(answer(404, '{"message":"Customer not found"}'))).toEqual({
      kind: 'not-found',
      status: 404,
      retryable: false,
      message: 'The service does not know this customer (404).',
    });
    expect(errorOf(answer(204, '')).kind).toBe('not-found');
  });

  it('500 and 503 are retryable server errors; 503 keeps Retry-After', () => {
    expect(errorOf(answer(500, 'Internal Server Error', { 'content-type': 'text/plain' }))).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(errorOf(answer(503, '', { 'Retry-After': '3' }))).toMatchObject({ kind: 'server', retryable: true, retryAfterMs: 3000 });
  });

  it('429: rate limited, not retried at once, with the asked wait', () => {
    expect(errorOf(answer(429, '', { 'retry-after': '120' }))).toMatchObject({ kind: 'rate-limited', retryable: false, retryAfterMs: 120_000 });
    expect(errorOf(answer(429, '')).message).toMatch(/asks too often \(429\)\. Lower the request rate/);
  });

  it('other 4xx: the request was not accepted', () => {
    expect(errorOf(answer(400, '{"error":"bad email"}'))).toMatchObject({ kind: 'bad-request', status: 400, retryable: false });
  });
});

describe('interpretResponse: bodies', () => {
  it('an HTML login page with 200 and text/html', () => {
    expect(errorOf(answer(200, LOGIN_PAGE, { 'content-type': 'text/html; charset=utf-8' }))).toEqual({
      kind: 'html',
      status: 200,
      retryable: false,
      message: 'The answer is not JSON: the service sent an HTML page — probably a login page. Check the URL and the API key in Options → Sources.',
    });
  });

  it('an HTML page that is not a login page is named by its title, even with a JSON content-type', () => {
    const page = '<html><head><title>Maintenance</title></head><body>Back soon</body></html>';
    expect(errorOf(answer(200, page)).message).toBe('The answer is not JSON: the service sent an HTML page ("Maintenance"). Check the URL in Options → Sources.');
  });

  it('JSON with a wrong content-type is accepted', () => {
    expect(interpretResponse(answer(200, '{"tier":"Gold"}', { 'content-type': 'text/html' }), CENTRIC)).toEqual({ ok: true, score: { tier: 'Gold' } });
    expect(interpretResponse(answer(200, '\ufeff{"tier":"Gold"}', { 'content-type': 'text/plain' }), CENTRIC)).toEqual({ ok: true, score: { tier: 'Gold' } });
  });

  it('invalid JSON says where', () => {
    expect(errorOf(answer(200, '{"tier": "Gold",\n "clv": 12,}'))).toEqual({
      kind: 'invalid-json',
      status: 200,
      retryable: false,
      message: 'The answer is not valid JSON (line 2, column 12: A comma too many before "}").',
    });
    expect(errorOf(answer(200, '{"tier": "Gold"')).message).toBe('The answer is not valid JSON (line 1, column 16: The answer ends before this { … } is closed).');
    expect(errorOf(answer(200, '   ')).message).toBe('The answer is empty (no JSON).');
  });
});

describe('interpretResponse: redirects', () => {
  it('a redirect to another origin is refused, naming it', () => {
    expect(errorOf(answer(302, '', { location: 'https://evil.example/collect?k=1' }))).toEqual({
      kind: 'redirect',
      status: 302,
      retryable: false,
      message: 'The service redirected to another site (https://evil.example), which Centric refuses. If the service has moved, update its address in Options → Sources.',
    });
  });

  it('a fetch that followed a redirect to another origin is refused too', () => {
    const error = errorOf(answer(200, '{"tier":"Gold"}', JSON_TYPE, { redirected: true, finalUrl: 'https://login.example.org/sso' }));
    expect(error.kind).toBe('redirect');
    expect(error.message).toContain('(https://login.example.org)');
  });

  it('a browser opaque redirect is refused (its target cannot be seen)', () => {
    const error = errorOf(answer(0, '', {}, { type: 'opaqueredirect' }));
    expect(error.kind).toBe('redirect');
    expect(error.message).toMatch(/without Centric being able to see where/);
  });

  it('a same-origin redirect reaching interpretResponse was the second one', () => {
    expect(errorOf(answer(301, '', { location: '/v2/customers/x' })).message).toMatch(/redirected more than once \(301\)/);
  });
});

describe('mapping another service’s JSON', () => {
  const body = {
    data: {
      customer: { id: 'C-9', ltv: '1,5', segment: 'SMB', lastScored: 1741776120 },
      scores: [{ tier: 'Platinum', churnSafe: '0.91', ltv: '2500.75' }],
    },
  };
  const fields = {
    tier: 'data.scores[0].tier',
    clv: 'data.scores[0].ltv',
    pAlive: 'data.scores[0].churnSafe',
    segment: 'data.customer.segment',
    updatedAt: 'data.customer.lastScored',
    customerId: 'data.customer.id',
    next12Months: 'data.customer.next12',
  };

  it('paths read objects and list positions', () => {
    expect(parseJsonPath('data.scores[0].tier')).toEqual(['data', 'scores', 0, 'tier']);
    expect(parseJsonPath('[2].tier')).toEqual([2, 'tier']);
    expect(parseJsonPath('a..b')).toBeUndefined();
    expect(parseJsonPath('a[0]b')).toBeUndefined();
    expect(readPath(body, 'data.scores[0].tier')).toBe('Platinum');
    expect(readPath(body, 'data.scores[1].tier')).toBeUndefined();
    expect(readPath(body, 'data.customer.toString')).toBeUndefined();
    expect(readMapped(body, { tier: 'data.scores[0].tier', clv: 'nope.x' })).toEqual({ tier: 'Platinum' });
  });

  it('numeric strings and Unix times are read; a field not found is left out', () => {
    expect(interpretResponse(answer(200, JSON.stringify(body)), { kind: 'mapping', fields })).toEqual({
      ok: true,
      score: { tier: 'Platinum', clv: 2500.75, pAlive: 0.91, segment: 'SMB', updatedAt: '2025-03-12T10:42:00.000Z', customerId: 'C-9' },
    });
  });

  it('wrong shape names the configured path', () => {
    expect(errorOf(answer(200, JSON.stringify(body)), { kind: 'mapping', fields: { tier: 'data.customer.tier' } }).message).toBe(
      'The answer is missing "data.customer.tier" (the tier, a string).',
    );
    expect(errorOf(answer(200, JSON.stringify(body)), { kind: 'mapping', fields: { tier: 'data.scores[0].tier', clv: 'data.customer.ltv' } }).message).toBe(
      'In the answer, "data.customer.ltv" is "1,5"; it should be a number.',
    );
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Wed, 12 Mar 2025 10:42:30 GMT', Date.parse('2025-03-12T10:42:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
