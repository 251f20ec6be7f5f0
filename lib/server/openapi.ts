/**
 * The team service's API described for its readers (OpenAPI 3.1), served at GET /v1/openapi.json.
 * tests/unit/server/app.test.ts checks that it lists exactly the routes the service has.
 */
const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: 'Refused: see error.code', content: { 'application/json': { schema: error } } }]));
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const kind = { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['tiers', 'rules', 'sites'] } };
const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', description, schema });
const fileName = query('file', 'The file’s name, for the audit log and the answer');
const column = (name: string, what: string) => query(name, `The column holding the ${what}: a header name (case and punctuation ignored) or a 1-based number. Default: as the detected preset maps it`);
const preset = (ids: string) => query('preset', `The import wizard’s preset to read the file by (${ids}). Default: detected from the header, as the wizard does`);
const csvFile = { required: true, content: { 'text/csv': { schema: { type: 'string' } } } };
const dataErrors = errors(400, 401, 403, 413, 415, 429, 503);

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Centric team service',
    version: '1',
    description: 'One source of truth for a team: its tiers, treatment rules and site definitions. Every request but /v1/health and /v1/openapi.json carries Authorization: Bearer <personal token>. Agents read; managers change the configuration; admins manage tokens. Every change and every refused change is audited.',
  },
  components: {
    securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A personal token (ctk_…), made with `centric serve token create` or POST /v1/tokens.' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: ['unauthenticated', 'forbidden', 'rate-limited', 'not-found', 'invalid-request', 'unknown-field', 'invalid-value', 'invalid-file', 'too-many', 'version-conflict', 'malformed-json', 'body-too-large', 'unsupported-media-type', 'bad-request', 'internal', 'unknown-parameter', 'missing-columns', 'ambiguous-dates', 'unit-mismatch', 'database-unavailable'] },
              message: { type: 'string' },
              problems: {
                type: 'array',
                description: 'The first problems of a refused file (score files: sentences; data files: line, field, value, message)',
                items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { line: { type: 'integer' }, field: { type: 'string' }, value: { type: 'string' }, message: { type: 'string' } } }] },
              },
              problemCount: { type: 'integer', description: 'All the problems found (more than listed when the list is cut)' },
            },
          },
        },
      },
      ScoringJob: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          state: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
          requestedAt: { type: 'string' },
          requestedBy: { type: ['string', 'null'], description: 'the person, or "schedule"' },
          startedAt: { type: ['string', 'null'] },
          finishedAt: { type: ['string', 'null'] },
          runId: { type: ['integer', 'null'] },
          message: { type: ['string', 'null'] },
          attempts: { type: 'integer' },
          progress: { type: ['object', 'null'], properties: { stage: { type: 'string', enum: ['summarise', 'fit', 'score'] }, done: { type: 'integer' }, total: { type: 'integer' } } },
        },
      },
      ConfigDocument: {
        type: 'object',
        properties: { kind: { type: 'string' }, version: { type: 'integer', description: '0: the defaults, never changed' }, value: {}, updatedAt: { type: ['string', 'null'] }, updatedBy: { type: ['string', 'null'] } },
      },
    },
  },
  security: [{ token: [] }],
  paths: {
    '/v1/health': { get: { security: [], summary: 'Is the service up, and on which database', responses: { '200': json({ type: 'object' }) } } },
    '/v1/openapi.json': { get: { security: [], summary: 'This description', responses: { '200': json({ type: 'object' }) } } },
    '/v1/me': { get: { summary: 'Who this token belongs to', responses: { '200': json({ type: 'object' }), ...errors(401, 429) } } },
    '/v1/config/{kind}': {
      get: { summary: 'The team’s tiers, rules or site definitions, with its ETag', parameters: [kind], responses: { '200': json({ $ref: '#/components/schemas/ConfigDocument' }), '304': { description: 'Not modified (If-None-Match)' }, ...errors(401, 404, 429) } },
      put: {
        summary: 'Replace it (managers, admins), checked as in the options page; If-Match: the ETag read',
        parameters: [kind],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: {} } } } } },
        responses: { '200': json({ $ref: '#/components/schemas/ConfigDocument' }), ...errors(400, 401, 403, 404, 412, 413, 429) },
      },
    },
    '/v1/scores': {
      put: {
        summary: 'Upload the team’s scores (managers, admins): a score file as `centric score --out` writes it (text/csv, or application/json); all or nothing, every problem with its line',
        parameters: [{ name: 'name', in: 'query', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: {} } } },
        responses: { '200': json({ type: 'object' }), ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    '/v1/data/transactions': {
      put: {
        summary:
          'Upload transactions (managers, admins): a CSV file read by the extension’s import wizard’s reader and rules (Shopify, Stripe, WooCommerce exports or customer/date/amount). All or nothing: any row with a problem and nothing is stored, the answer listing each problem’s line, column, value and reason. Sending a file again adds nothing (transactions are keyed as in the extension).',
        parameters: [
          fileName,
          preset('shopify-orders, stripe-payments, woocommerce-orders, generic-transactions'),
          query('mode', 'merge (default): add to the stored history; replace: the file becomes the whole history', { type: 'string', enum: ['merge', 'replace'] }),
          query('dateFormat', 'The dates’ layout when the sample fits several (answer ambiguous-dates)', { type: 'string', enum: ['YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY'] }),
          column('customer', 'customer id'),
          column('date', 'purchase date'),
          column('amount', 'amount'),
          column('order', 'order id'),
          column('email', 'customer’s email'),
          column('name', 'customer’s name'),
          column('company', 'customer’s company'),
          column('status', 'payment or order status'),
          column('refunded', 'refunded amount'),
        ],
        requestBody: csvFile,
        responses: { '200': json({ type: 'object', description: 'Counts: rows, customers (added, updated), transactions (added, updated, already present), removed (replace), excluded by status, folded line items' }), ...dataErrors },
      },
    },
    '/v1/data/customers': {
      put: {
        summary: 'Upload customers (managers, admins): id, name, email, company, read as the import wizard does; all or nothing. A value in the file replaces the stored one; an empty cell keeps it.',
        parameters: [fileName, preset('customers'), column('customer', 'customer id'), column('name', 'name'), column('email', 'email'), column('company', 'company')],
        requestBody: csvFile,
        responses: { '200': json({ type: 'object' }), ...dataErrors },
      },
    },
    '/v1/data/summaries': {
      put: {
        summary:
          'Upload per-customer summaries from a warehouse (managers, admins): the CSV that `centric sql --output summary` makes the warehouse produce (id, x, t_x, T, m, first, last, total [, x_star, holdout_spend]). All or nothing; replaces the previous summaries.',
        parameters: [fileName, { ...query('unit', 'The unit of t_x and T: the --unit given to centric sql', { type: 'string', enum: ['day', 'week', 'month'] }), required: true }],
        requestBody: csvFile,
        responses: { '200': json({ type: 'object' }), ...dataErrors },
      },
    },
    '/v1/scores/run': { get: { summary: 'The current scores: when, from which file, how many customers', responses: { '200': json({ type: 'object' }), ...errors(401, 429) } } },
    '/v1/scores/summary': {
      get: {
        summary: 'The team’s base: the current run’s customers, customer equity (sum of CLV) and each tier’s customers and value, added up by the database (any token)',
        responses: {
          '200': json({
            type: 'object',
            required: ['run', 'customers', 'valued', 'equity', 'tiers'],
            properties: {
              run: { type: ['object', 'null'], properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, source: { type: 'string' }, uploadedBy: { type: ['string', 'null'] } } },
              customers: { type: 'integer' },
              valued: { type: 'integer', description: 'customers with a CLV' },
              equity: { type: 'number' },
              tiers: { type: 'array', items: { type: 'object', properties: { tier: { type: 'string' }, customers: { type: 'integer' }, value: { type: 'number' } } } },
            },
          }),
          ...errors(401, 429),
        },
      },
    },
    '/v1/scores/runs': {
      post: {
        summary: 'Ask for a scoring run (managers, admins): the team’s customers and transactions (or warehouse summaries) scored with the browser’s pipeline and the team’s tiers, in worker threads; 202 with the job (the one already waiting, if any)',
        responses: { '202': json({ type: 'object', properties: { job: { $ref: '#/components/schemas/ScoringJob' }, queued: { type: 'boolean' } } }, 'Queued'), ...errors(401, 403, 429) },
      },
    },
    '/v1/scores/jobs/{id}': {
      get: {
        summary: 'A scoring job: queued, running (with its stage and progress), done (with its run) or failed (with why)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '200': json({ type: 'object', properties: { job: { $ref: '#/components/schemas/ScoringJob' } } }), ...errors(401, 404, 429) },
      },
    },
    '/v1/scores/changes': {
      get: {
        summary: 'What changed between two kept runs: customers whose tier differs, counted per move (from → to), and listed by id a page at a time',
        parameters: [
          { name: 'since', in: 'query', required: true, schema: { type: 'integer' }, description: 'the earlier run' },
          { name: 'to', in: 'query', schema: { type: 'integer' }, description: 'the later run (default: the current one)' },
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'the previous page’s "next"' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        responses: { '200': json({ type: 'object' }), ...errors(400, 401, 404, 429) },
      },
    },
    '/v1/scores/file': {
      get: {
        summary: 'The current run as a score file in the format of `centric score --out` (what the extension’s shared score file source reads), streamed; ETag = the run, Last-Modified; If-None-Match / If-Modified-Since → 304',
        parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'json'], default: 'csv' } }],
        responses: {
          '200': { description: 'The score file', content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object', properties: { count: { type: 'integer' }, scores: { type: 'array' } } } } } },
          '304': { description: 'Not modified' },
          ...errors(400, 401, 404, 429),
        },
      },
    },
    '/v1/lookup': {
      get: {
        summary: 'One customer, in the Centric JSON (the extension’s lookup-service source reads it): by id, then email; a domain alone gives its most valuable customer',
        parameters: ['email', 'id', 'domain'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { '200': json({ type: 'object' }), ...errors(400, 401, 404, 429) },
      },
    },
    '/v1/lookup/batch': {
      post: {
        summary: 'Up to 200 customers at once (list chips): answers in the order asked, null where none',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['identities'], properties: { identities: { type: 'array', maxItems: 200 } } } } } },
        responses: { '200': json({ type: 'object' }), ...errors(400, 401, 429) },
      },
    },
    '/v1/changes': { get: { summary: 'Server-sent events: "hello" with the versions of tiers, rules, sites and scores, then "change" {kind, version} within seconds of each change', responses: { '200': { description: 'text/event-stream' }, ...errors(401, 429) } } },
    '/v1/audit': { get: { summary: 'Changes and refused attempts, newest first (managers, admins)', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }], responses: { '200': json({ type: 'object' }), ...errors(401, 403, 429) } } },
    '/v1/tokens': {
      get: { summary: 'Every token, without the tokens themselves (admins)', responses: { '200': json({ type: 'object' }), ...errors(401, 403, 429) } },
      post: {
        summary: 'Make a token for a person (admins); shown once',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name', 'role'], additionalProperties: false, properties: { name: { type: 'string' }, role: { type: 'string', enum: ['admin', 'manager', 'agent'] } } } } } },
        responses: { '201': json({ type: 'object' }, 'Made'), ...errors(400, 401, 403, 429) },
      },
    },
    '/v1/tokens/{id}': { delete: { summary: 'Revoke a token (admins): refused from the next request', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json({ type: 'object' }), ...errors(401, 403, 404, 429) } } },
  },
} as const;
