// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { HIDDEN_VALUE } from '~/lib/sources/config';
import { ACME, choose, click, configWith, errorOf, fakePermissions, mountSection, storeConfig, storedConfig, type, until } from './helpers';

let unmount: () => void = () => {};
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function mount() {
  const section = await mountSection();
  unmount = section.unmount;
  return section;
}

const issuesListed = (section: Awaited<ReturnType<typeof mount>>) => [...(section.get('source-issues')?.querySelectorAll('li') ?? [])].map((li) => li.textContent);

describe('adding a lookup service', () => {
  it('saves exactly the configuration typed, with the secret in storage only, after asking for the site', async () => {
    const permissions = fakePermissions({ answer: true });
    const s = await mount();
    await click(s.get('add-lookup-service'));
    const editor = s.get('source-editor')!;
    expect(editor.querySelector('h3')?.textContent).toBe('New lookup service');
    expect(document.activeElement).toBe(s.get('source-name', editor));
    const save = s.get<HTMLButtonElement>('source-save', editor)!;
    // Nothing typed: Save is disabled and says why, but no field is marked before it is touched.
    expect(save.disabled).toBe(true);
    expect(issuesListed(s)).toEqual(['Name: This cannot be empty.', 'URL template: Enter the address, e.g. https://api.example.com/customers/{email}.']);
    expect(editor.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    // The placeholders are shown.
    expect(editor.textContent).toContain('{email}, {domain}, {id}, {name}');

    await type(s.get('source-name', editor), 'Acme warehouse API');
    await type(s.get('source-url', editor), 'https://api.acme.example/v1/customers/');
    await click(s.get('source-insert-email', editor));
    expect(s.get<HTMLInputElement>('source-url', editor)!.value).toBe('https://api.acme.example/v1/customers/{email}');
    expect(s.get('source-url-preview', editor)?.textContent).toContain('https://api.acme.example/v1/customers/ann%40acme.com');

    await click(s.get('source-header-add', editor));
    expect(document.activeElement).toBe(s.get('source-header-name', editor));
    await type(s.get('source-header-name', editor), 'Authorization');
    const value = s.get<HTMLInputElement>('source-header-value', editor)!;
    expect(value.type).toBe('password');
    await type(value, 'Bearer s3cr3t-token');
    await click(s.get('source-header-show', editor));
    expect(value.type).toBe('text');
    expect(s.get('source-header-show', editor)?.getAttribute('aria-label')).toBe('Hide the value of header 1');

    await type(s.get('source-timeout', editor), '5000');
    await type(s.get('source-retries', editor), '1');
    await type(s.get('source-rate', editor), '120');
    await choose(s.get('source-ttl-unit', editor), 'minutes');
    await type(s.get('source-ttl', editor), '30');
    await type(s.get('source-stale', editor), '2');
    expect(save.disabled).toBe(false);
    await click(save);
    await until(async () => (await storedConfig()) !== undefined, 'the save');

    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://api.acme.example/*'] });
    expect(await storedConfig()).toEqual({
      version: 1,
      sources: [
        {
          id: 'acme-warehouse-api',
          kind: 'lookup-service',
          name: 'Acme warehouse API',
          enabled: true,
          urlTemplate: 'https://api.acme.example/v1/customers/{email}',
          headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token' }],
          format: { kind: 'centric' },
          timeoutMs: 5000,
          retries: 1,
          ratePerMinute: 120,
          ttlSeconds: 1800,
          staleSeconds: 7200,
        },
      ],
      precedence: ['local', 'acme-warehouse-api'],
    });
    await until(() => s.get('source-editor') === null, 'the editor to close');
    expect(s.ids()).toEqual(['acme-warehouse-api']);
    expect(document.activeElement).toBe(s.get('source-edit', s.item('acme-warehouse-api')));
    expect(s.get('sources-status')?.textContent).toMatch(/^Added “Acme warehouse API”/);
    // The secret is in storage, never in the page.
    expect(s.root.innerHTML).not.toContain('s3cr3t');
  });

  it('maps the fields of the service’s own JSON, the tier required', async () => {
    fakePermissions({ answer: true });
    const s = await mount();
    await click(s.get('add-lookup-service'));
    await type(s.get('source-name'), 'CRM scores');
    await type(s.get('source-url'), 'http://127.0.0.1:8080/score?email={email}&id={id}');
    expect(s.get('source-centric-json')?.textContent).toContain('"tier": "Gold"');
    await choose(s.get('source-format'), 'mapping');
    expect(s.get('source-centric-json')).toBeNull();
    const tier = s.get('source-map-tier')!;
    expect(errorOf(tier)).toBe('Say where the tier is in the answer (e.g. data.tier): the sidebar shows a tier.');
    expect(s.get<HTMLButtonElement>('source-save')!.disabled).toBe(true);
    await type(tier, 'data.customer.tier');
    await type(s.get('source-map-clv'), 'data.customer.ltv');
    await type(s.get('source-map-updatedAt'), 'data customer');
    expect(errorOf(s.get('source-map-updatedAt'))).toMatch(/^Write a path such as data.customer.ltv/);
    await type(s.get('source-map-updatedAt'), 'meta.scored_at');
    await type(s.get('source-map-pAlive'), 'data.churn[0].p');
    await click(s.get('source-save'));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect((await storedConfig())!.sources[0]).toMatchObject({
      id: 'crm-scores',
      urlTemplate: 'http://127.0.0.1:8080/score?email={email}&id={id}',
      headers: [],
      format: { kind: 'mapping', fields: { tier: 'data.customer.tier', clv: 'data.customer.ltv', updatedAt: 'meta.scored_at', pAlive: 'data.churn[0].p' } },
    });
  });
});

describe('inline validation', () => {
  it('shows a bad scheme, an unknown placeholder, http off this computer and out-of-range numbers next to their fields, Save disabled until fixed', async () => {
    fakePermissions({ answer: true });
    const s = await mount();
    await click(s.get('add-lookup-service'));
    const save = s.get<HTMLButtonElement>('source-save')!;
    await type(s.get('source-name'), 'Acme');
    const url = s.get('source-url')!;

    await type(url, 'ftp://api.example.com/c/{email}');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(url)).toBe('Use an https:// address (not ftp:).');
    expect(save.disabled).toBe(true);
    expect(save.getAttribute('aria-describedby')).toBe(s.get('source-issues')!.id);

    await type(url, 'https://api.example.com/c/{mail}');
    expect(errorOf(url)).toBe('Unknown placeholder {mail}; use {email}, {domain}, {id}, {name}.');
    expect(issuesListed(s)).toEqual(['URL template: Unknown placeholder {mail}; use {email}, {domain}, {id}, {name}.']);
    expect(save.disabled).toBe(true);

    await type(url, 'http://api.example.com/c/{email}');
    expect(errorOf(url)).toBe('Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer).');
    expect(save.disabled).toBe(true);

    await type(url, 'https://api.example.com/c/{email}');
    expect(url.getAttribute('aria-invalid')).toBeNull();
    expect(errorOf(url)).toBeNull();
    expect(save.disabled).toBe(false);

    const timeout = s.get('source-timeout')!;
    await type(timeout, '100');
    expect(errorOf(timeout)).toBe('Use at least 500 milliseconds.');
    await type(timeout, '');
    expect(errorOf(timeout)).toBe('Enter a number.');
    await type(timeout, '3000');
    const ttl = s.get('source-ttl')!;
    await type(ttl, '200');
    expect(errorOf(ttl)).toBe('Use at most 7 days (168 hours).');
    expect(save.disabled).toBe(true);
    await type(ttl, '2');
    expect(save.disabled).toBe(false);

    // A forbidden header name and an empty value, on their row.
    await click(s.get('source-header-add'));
    await type(s.get('source-header-name'), 'Cookie');
    expect(errorOf(s.get('source-header-name'))).toMatch(/^Browsers do not let extensions set this header/);
    expect(save.disabled).toBe(true);
    await type(s.get('source-header-name'), 'X-API-Key');
    await type(s.get('source-header-value'), '');
    expect(issuesListed(s)).toEqual(['Header 1 value: Enter the value (e.g. the API key, or "Bearer " and the token).']);
    await click(s.get('source-header-remove'));
    expect(save.disabled).toBe(false);
    expect(document.activeElement).toBe(s.get('source-header-add'));
    expect(await storedConfig()).toBeUndefined();
  });
});

describe('the host permission', () => {
  it('is asked for on Save; refused, nothing is saved and the editor says so', async () => {
    const permissions = fakePermissions({ answer: false });
    const s = await mount();
    await click(s.get('add-lookup-service'));
    await type(s.get('source-name'), 'Acme');
    await type(s.get('source-url'), 'https://api.example.com:8443/c/{email}');
    await click(s.get('source-save'));
    await until(() => s.get('source-save-error') !== null, 'the refusal');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://api.example.com/*'] });
    expect(s.get('source-save-error')?.getAttribute('role')).toBe('alert');
    expect(s.get('source-save-error')?.textContent).toBe(
      'Not saved: Centric was not allowed to contact api.example.com:8443. Save again and choose Allow when your browser asks; Centric needs it to ask the service.',
    );
    expect(s.get('source-editor')).not.toBeNull();
    expect(s.items()).toHaveLength(0);
    expect(await storedConfig()).toBeUndefined();
  });

  it('is not asked for a service on this computer', async () => {
    const permissions = fakePermissions({ answer: false });
    const s = await mount();
    await click(s.get('add-lookup-service'));
    await type(s.get('source-name'), 'Local scorer');
    await type(s.get('source-url'), 'http://localhost:5000/score/{id}');
    await click(s.get('source-save'));
    await until(async () => (await storedConfig()) !== undefined, 'the save');
    expect(permissions.request).not.toHaveBeenCalled();
    expect(permissions.contains).not.toHaveBeenCalled();
    expect((await storedConfig())!.sources.map((x) => x.id)).toEqual(['local-scorer']);
  });
});

describe('editing a saved lookup service', () => {
  beforeEach(async () => {
    await storeConfig(configWith([ACME], ['acme', 'local']));
  });

  it('shows the secrets hidden and keeps them unless changed', async () => {
    const permissions = fakePermissions({ granted: ['https://api.acme.example/*'] });
    const s = await mount();
    expect(s.root.innerHTML).not.toContain('s3cr3t-token');
    expect(s.root.innerHTML).not.toContain('k3y-in-url');
    await click(s.get('source-edit', s.item('acme')));
    const editor = s.get('source-editor')!;
    expect(editor.querySelector('h3')?.textContent).toBe('Edit “Acme warehouse API”');
    expect(s.get<HTMLInputElement>('source-header-value', editor)!.value).toBe(HIDDEN_VALUE);
    expect(s.get<HTMLInputElement>('source-url', editor)!.value).toBe(`https://api.acme.example/v1/customers/{email}?api_key=${HIDDEN_VALUE}`);
    expect(editor.textContent).toContain('The saved value is kept');
    expect(s.get<HTMLInputElement>('source-retries', editor)!.value).toBe('0');
    expect(s.get<HTMLInputElement>('source-stale', editor)!.value).toBe('24');
    expect(s.get<HTMLSelectElement>('source-stale-unit', editor)!.value).toBe('hours');

    await type(s.get('source-name', editor), 'Acme API');
    await click(s.get('source-save', editor));
    await until(async () => (await storedConfig())?.sources[0]?.name === 'Acme API', 'the save');
    // Already held: asked again in the click (Firefox needs that) and granted without a prompt.
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://api.acme.example/*'] });
    expect((await storedConfig())!.sources[0]).toEqual({ ...ACME, name: 'Acme API', headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token' }] });
    expect((await storedConfig())!.precedence).toEqual(['acme', 'local']);
    expect(document.activeElement).toBe(s.get('source-edit', s.item('acme')));

    // A new value replaces the old one, even typed after the hidden marker.
    await click(s.get('source-edit', s.item('acme')));
    await type(s.get('source-header-value'), `${HIDDEN_VALUE}Bearer n3w-token`);
    expect(s.get<HTMLInputElement>('source-header-value')!.value).toBe('Bearer n3w-token');
    await click(s.get('source-save'));
    await until(async () => (await storedConfig())?.sources[0]?.headers[0]?.value === 'Bearer n3w-token', 'the new secret');
    expect((await storedConfig())!.sources[0]).toMatchObject({ urlTemplate: ACME.urlTemplate, name: 'Acme API' });
  });

  it('does not save a hidden value whose secret it cannot restore (a renamed header, a changed address)', async () => {
    fakePermissions({ granted: ['https://api.acme.example/*'] });
    const s = await mount();
    await click(s.get('source-edit', s.item('acme')));
    const save = s.get<HTMLButtonElement>('source-save')!;
    await type(s.get('source-header-name'), 'X-API-Key');
    expect(errorOf(s.get('source-header-value'))).toBe('Type the value again: the saved value belonged to a header with another name.');
    expect(save.disabled).toBe(true);
    await type(s.get('source-header-name'), 'authorization');
    expect(save.disabled).toBe(false);

    const url = s.get('source-url')!;
    await type(url, `https://api.acme.example/v2/customers/{email}?api_key=${HIDDEN_VALUE}`);
    expect(errorOf(url)).toBe(`The address still holds a hidden value (${HIDDEN_VALUE}): type the key again, or better, send it in a header.`);
    expect(save.disabled).toBe(true);
    await type(url, 'https://api.acme.example/v2/customers/{email}?api_key=other');
    expect(save.disabled).toBe(false);

    await click(s.get('source-cancel'));
    expect(s.get('source-editor')).toBeNull();
    expect(document.activeElement).toBe(s.get('source-edit', s.item('acme')));
    expect((await storedConfig())!.sources[0]).toEqual(ACME);
  });
});
