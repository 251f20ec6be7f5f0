// @vitest-environment happy-dom
/**
 * A team's override applied in the page (issue 17): in place, key by key; an unusable key keeps its
 * bundled value and is named in one warning; removing the override restores the bundled values; the
 * adapter reads the new selectors at its next call.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applySiteOverride, compilesAsSelector, overrideValueProblem, siteOverrideFor } from '~/lib/sites/overrides';
import type { SiteAdapter } from '~/lib/sites/types';
import { zendesk, ZENDESK_SELECTORS } from '~/lib/sites/hosts/zendesk/adapter';
import { loadFixture } from '../../helpers/dom';

/** An adapter of our own whose selectors object is changed by the tests. */
function testAdapter() {
  const selectors = {
    workspace: '[data-test-id="ticket-workspace"]',
    email: ['a[href^="mailto:"]', '[data-test-id="email"]'],
    recordName: { contact: ['h1'], company: ['h2'] },
    fieldPrefix: 'sfdc:RecordField.',
    paths: { ticket: '^/agent/tickets/(\\d+)/?$', user: ['^/agent/users/(\\d+)$'] },
    attributeRow: (key: string) => `[data-key="${key}"]`,
  };
  const adapter: Pick<SiteAdapter, 'name' | 'definition'> = { name: 'Testdesk', definition: { version: 2, selectors } };
  const { attributeRow: _code, ...data } = selectors;
  return { adapter, selectors, bundled: structuredClone(data) };
}
const warnings = (warn: ReturnType<typeof vi.fn>) => warn.mock.calls.map(([m]) => m as string);

describe('applying an override in the page', () => {
  it('replaces the usable keys in place and keeps the bundled value of each unusable one, with one warning per key', () => {
    const { adapter, selectors, bundled } = testAdapter();
    const row = selectors.attributeRow;
    const warn = vi.fn();
    const rejected = applySiteOverride(
      adapter,
      {
        version: 2,
        selectors: {
          workspace: 'section[data-pane="ticket"]',
          email: ['a.email', 'div >'],
          recordName: { company: ['h3.company'] },
          fieldPrefix: 'sfdc:Field.',
          paths: { ticket: '^/agent/t/(\\d+)$', user: ['^/agent/users/(\\d+$'] },
          attributeRow: 'div',
        },
      },
      compilesAsSelector,
      warn,
    );
    expect(rejected.map((r) => r.key)).toEqual(['email', 'paths.user']);
    // In place: the same object, new values where usable, the bundled ones elsewhere; code untouched.
    expect(adapter.definition?.selectors).toBe(selectors);
    expect(selectors.workspace).toBe('section[data-pane="ticket"]');
    expect(selectors.email).toEqual(bundled.email);
    expect(selectors.recordName).toEqual({ contact: ['h1'], company: ['h3.company'] });
    expect(selectors.fieldPrefix).toBe('sfdc:Field.');
    expect(selectors.paths).toEqual({ ticket: '^/agent/t/(\\d+)$', user: bundled.paths.user });
    expect(selectors.attributeRow).toBe(row);
    expect(warnings(warn)).toEqual([
      '[Centric] Testdesk: override of "email" not used ("div >" does not compile here as a CSS selector); the bundled value stays.',
      '[Centric] Testdesk: override of "paths.user" not used ("^/agent/users/(\\\\d+$" does not compile here as a regular expression); the bundled value stays.',
    ]);
  });

  it('restores every bundled value when the override is removed or replaced', () => {
    const { adapter, selectors, bundled } = testAdapter();
    applySiteOverride(adapter, { version: 2, selectors: { workspace: 'main', email: ['a.x'], recordName: { contact: ['h4'] }, paths: { ticket: '^/x$' } } }, compilesAsSelector, () => {});
    expect(selectors.workspace).toBe('main');
    applySiteOverride(adapter, { version: 3, selectors: { email: ['a.y'] } }, compilesAsSelector, () => {});
    expect(selectors.workspace).toBe(bundled.workspace);
    expect(selectors.email).toEqual(['a.y']);
    expect(selectors.recordName).toEqual(bundled.recordName);
    expect(selectors.paths).toEqual(bundled.paths);
    const warn = vi.fn();
    expect(applySiteOverride(adapter, undefined, compilesAsSelector, warn)).toEqual([]);
    const { attributeRow: _code, ...data } = selectors;
    expect(data).toEqual(bundled);
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not use an override written for an older definition, nor one that is not an override', () => {
    const { adapter, selectors, bundled } = testAdapter();
    for (const override of [{ version: 1, selectors: { workspace: 'main' } }, { selectors: { workspace: 'main' } }, 'main', { version: 2, selectors: ['main'] }]) {
      applySiteOverride(adapter, override, compilesAsSelector, () => {});
      expect(selectors.workspace).toBe(bundled.workspace);
    }
    applySiteOverride(adapter, { version: 2, selectors: { workspace: 'main' } }, compilesAsSelector, () => {});
    expect(selectors.workspace).toBe('main');
  });

  it('checks the shape and, for selectors, this page’s CSS engine', () => {
    const css = compilesAsSelector;
    expect(overrideValueProblem('a', 'b', false, css)).toBeUndefined();
    expect(overrideValueProblem('a', ['b'], false, css)).toBe('not a text');
    expect(overrideValueProblem('a', '  ', false, css)).toBe('not a text');
    expect(overrideValueProblem('a', 3, false, css)).toBe('not a text');
    expect(overrideValueProblem(['a'], 'b', false, css)).toBe('not a list of texts');
    expect(overrideValueProblem(['a'], [], false, css)).toBe('not a list of texts');
    expect(overrideValueProblem(['a'], ['b', 3], false, css)).toBe('not a list of texts');
    expect(overrideValueProblem(['a'], ['b', 'c d'], false, css)).toBeUndefined();
    expect(overrideValueProblem('a', 'a[href', false, css)).toBe('"a[href" does not compile here as a CSS selector');
    // Not a selector in the bundled definition: held to what it is (a regular expression stays one).
    expect(overrideValueProblem('sfdc:RecordField.', 'sfdc:Other.', false, css)).toBeUndefined();
    expect(overrideValueProblem('^(?:mr|dr)\\.?\\s+', '^(?:mr|dr|prof)\\.?\\s+', false, css)).toBeUndefined();
    expect(overrideValueProblem('^(?:mr|dr)\\.?\\s+', '^(?:mr|dr', false, css)).toBe('"^(?:mr|dr" does not compile here as a regular expression');
    expect(overrideValueProblem('^/a$', '^/b(', true, css)).toBe('"^/b(" does not compile here as a regular expression');
    expect(overrideValueProblem(() => 'x', 'a', false, css)).toBe('code, not data');
    expect(siteOverrideFor({ zendesk: 1 }, 'zendesk')).toBe(1);
    expect(siteOverrideFor(['x'], 'zendesk')).toBeUndefined();
  });
});

describe('an override on a real adapter', () => {
  afterEach(() => {
    applySiteOverride(zendesk, undefined, compilesAsSelector, () => {});
  });
  const url = new URL('https://acme.zendesk.com/agent/tickets/1');
  /** The ticket page after a (simulated) Zendesk change: the workspace's hook renamed (see the fixture's header). */
  const changedPage = () => loadFixture('zendesk/agent-ticket-renamed-hook.html');
  /** The team's override that reads it (the e2e test's definitions file). */
  const override = (JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/site-definitions/zendesk-renamed-layout.json'), 'utf8')) as { sites: { zendesk: unknown } }).sites.zendesk;

  it('finds the customer the bundled selectors miss, and the bundled selectors come back when it is removed', () => {
    const bundledWorkspace = ZENDESK_SELECTORS.workspace;
    expect(zendesk.extract(changedPage(), url)).toEqual({ identity: null, missing: ['ticket workspace'] });
    expect(applySiteOverride(zendesk, override, compilesAsSelector, () => {})).toEqual([]);
    expect(ZENDESK_SELECTORS.workspace).toMatch(/^\.ticket-panes-layout, /);
    expect(zendesk.extract(changedPage(), url).identity).toMatchObject({ email: 'kaia.nakamura.1901@willowlane.example', name: 'Kaia Nakamura', hostRecordId: '1' });
    applySiteOverride(zendesk, undefined, compilesAsSelector, () => {});
    expect(ZENDESK_SELECTORS.workspace).toBe(bundledWorkspace);
    expect(zendesk.extract(changedPage(), url).identity).toBeNull();
    expect(zendesk.extract(loadFixture('zendesk/agent-ticket.html'), url).identity?.email).toBe('kaia.nakamura.1901@willowlane.example');
  });

  it('a broken override key leaves the bundled selector working', () => {
    const warn = vi.fn();
    applySiteOverride(zendesk, { version: 1, selectors: { workspace: '[data-test-id="ticket-pane"] >', userName: 'h2' } }, compilesAsSelector, warn);
    expect(warnings(warn)).toEqual([expect.stringMatching(/^\[Centric\] Zendesk: override of "workspace" not used/)]);
    expect(zendesk.extract(loadFixture('zendesk/agent-ticket.html'), url).identity).toMatchObject({ email: 'kaia.nakamura.1901@willowlane.example', name: 'Kaia Nakamura' });
  });
});
