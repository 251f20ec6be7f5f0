import { describe, expect, it } from 'vitest';
import {
  choiceFrom,
  DEFAULT_LAYOUT,
  effectiveMode,
  LAYOUT_MODES,
  layoutFor,
  migrateLegacyCollapsed,
  NARROW_BELOW,
  SITE_LAYOUTS,
  withChoice,
} from '~/lib/sites/layout';
import { LAYOUT_NOTES } from '~/lib/sites/layout-notes';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

describe('the per-host layout table (issue 17)', () => {
  it('has an entry for every built-in host, each consistent', () => {
    const hosts = SITE_ADAPTERS.map((a) => a.id).filter((id) => id !== 'demo');
    expect(Object.keys(SITE_LAYOUTS).sort()).toEqual([...hosts].sort());
    for (const [id, layout] of Object.entries(SITE_LAYOUTS)) {
      // The side panel and the badge are always offered; the default is one of the offered homes.
      expect(layout.modes, id).toEqual(expect.arrayContaining(['panel', 'badge', 'overlay']));
      expect(layout.modes.includes(layout.wide), id).toBe(true);
      expect(layout.modes.every((m) => LAYOUT_MODES.includes(m)), id).toBe(true);
      // A host without docking says why in Options → Sites.
      if (!layout.modes.includes('dock')) expect(LAYOUT_NOTES[id], id).toMatch(/^Not beside the page: /);
      else expect(LAYOUT_NOTES[id], id).toBeUndefined();
    }
  });

  it('gives custom sites and the demo the default (docking tried, and refused by the page where it does not fit)', () => {
    expect(layoutFor('custom:acme')).toBe(DEFAULT_LAYOUT);
    expect(layoutFor('demo')).toBe(DEFAULT_LAYOUT);
    expect(DEFAULT_LAYOUT.wide).toBe('dock');
  });
});

describe('the home in effect', () => {
  it('is the badge on a narrow window and the host’s default on a wide one, unless chosen', () => {
    expect(effectiveMode('zendesk', {}, NARROW_BELOW - 1)).toBe('badge');
    expect(effectiveMode('zendesk', {}, NARROW_BELOW)).toBe('dock');
    expect(effectiveMode('gmail', {}, 1600)).toBe('badge');
    expect(effectiveMode('zendesk', { mode: 'overlay' }, 800)).toBe('overlay');
    expect(effectiveMode('zendesk', { mode: 'panel' }, 1600)).toBe('panel');
  });

  it('ignores a choice the host does not offer (docking on Gmail)', () => {
    expect(effectiveMode('gmail', { mode: 'dock' }, 1600)).toBe('badge');
    expect(effectiveMode('shopify', { mode: 'dock' }, 800)).toBe('badge');
  });
});

describe('the stored choices', () => {
  it('reads one site’s choice from whatever is stored', () => {
    expect(choiceFrom(undefined, 'zendesk')).toEqual({});
    expect(choiceFrom('junk', 'zendesk')).toEqual({});
    expect(choiceFrom({ zendesk: { mode: 'dock', collapsed: true } }, 'zendesk')).toEqual({ mode: 'dock', collapsed: true });
    expect(choiceFrom({ zendesk: { mode: 'sideways', collapsed: 'yes' } }, 'zendesk')).toEqual({});
    expect(choiceFrom({ zendesk: { collapsed: false } }, 'zendesk')).toEqual({});
    expect(choiceFrom({ hubspot: { mode: 'badge' } }, 'zendesk')).toEqual({});
  });

  it('replaces one site’s choice and keeps the others; an empty choice removes the entry', () => {
    const stored = { hubspot: { mode: 'badge' }, zendesk: { mode: 'dock' } };
    expect(withChoice(stored, 'zendesk', { mode: 'panel' })).toEqual({ hubspot: { mode: 'badge' }, zendesk: { mode: 'panel' } });
    expect(withChoice(stored, 'zendesk', {})).toEqual({ hubspot: { mode: 'badge' } });
    expect(withChoice(undefined, 'custom:acme', { collapsed: true })).toEqual({ 'custom:acme': { collapsed: true } });
    expect(withChoice(stored, 'zendesk', { mode: 'nonsense' as never })).toEqual({ hubspot: { mode: 'badge' } });
    expect(stored).toEqual({ hubspot: { mode: 'badge' }, zendesk: { mode: 'dock' } }); // not changed in place
  });
});

describe('the migration of the single "collapsed" switch', () => {
  it('hides every listed site that has no choice of its own', () => {
    expect(migrateLegacyCollapsed(true, { zendesk: { mode: 'overlay' }, gmail: { collapsed: true } }, ['zendesk', 'hubspot', 'gmail'])).toEqual({
      zendesk: { mode: 'overlay', collapsed: true },
      hubspot: { collapsed: true },
      gmail: { collapsed: true },
    });
  });

  it('keeps the choices as they are when the switch was off, and does nothing without it', () => {
    expect(migrateLegacyCollapsed(false, { zendesk: { mode: 'badge' }, bad: 'x' }, ['zendesk', 'hubspot'])).toEqual({ zendesk: { mode: 'badge' } });
    expect(migrateLegacyCollapsed(undefined, {}, ['zendesk'])).toBeNull();
  });
});
