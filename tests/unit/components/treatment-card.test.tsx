// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TreatmentCard } from '~/components/sidebar/TreatmentCard';
import type { TreatmentView } from '~/lib/messages/schema';

const treatment: TreatmentView = {
  title: 'White-glove service',
  guidance: 'Answer first.',
  ruleId: 'top-tier',
  ruleName: 'Platinum: white-glove service',
  reason: 'The few most valuable customers carry most of the value.',
  priority: 'high',
  responseTarget: 'within 4 hours',
  color: '#7c3aed',
  links: [
    { label: 'Open in CRM', href: 'https://crm.example.com/?q=ana%40li.example' },
    { label: 'Sneaky', href: 'javascript:alert(1)' },
  ],
  snippets: [{ label: 'Thank them', text: 'Hi Ana, thank you for being with us.' }],
  tags: ['vip'],
  why: [
    { depth: 0, text: 'All of these — yes', matched: true },
    { depth: 1, text: 'Tier is Platinum — yes', matched: true },
  ],
  otherMatches: [{ name: 'Everyone else: standard service', title: 'Standard service' }],
};

function mount(t: TreatmentView = treatment) {
  const root = document.createElement('div');
  document.body.append(root);
  render(<TreatmentCard treatment={t} />, root);
  return root;
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('TreatmentCard', () => {
  it('shows the title, priority and response target, guidance and safe links only', () => {
    const root = mount();
    expect(root.querySelector('[data-testid="treatment-title"]')?.textContent).toBe('White-glove service');
    expect(root.querySelector('[data-testid="treatment-meta"]')?.textContent).toBe('High priority · reply within 4 hours');
    const links = [...root.querySelectorAll('[data-testid="treatment-link"]')] as HTMLAnchorElement[];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://crm.example.com/?q=ana%40li.example']);
    expect(links[0]!.rel).toBe('noopener noreferrer');
    expect((root.querySelector('[data-testid="treatment"]') as HTMLElement).style.borderLeftColor).toBeTruthy();
  });

  it('explains why on demand, with the other matching rules', async () => {
    const root = mount();
    const toggle = root.querySelector('[data-testid="treatment-why-toggle"]') as HTMLButtonElement;
    expect(root.querySelector('[data-testid="treatment-why"]')).toBeNull();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await act(() => toggle.click());
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(root.querySelector('[data-testid="treatment-rule"]')?.textContent).toBe('Platinum: white-glove service');
    expect(root.querySelector('[data-testid="treatment-why"]')?.textContent).toContain('Tier is Platinum — yes');
    expect(root.querySelector('[data-testid="treatment-others"]')?.textContent).toContain('Everyone else: standard service — Standard service');
  });

  it('copies a reply snippet and a tag, and says so', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const root = mount();
    await act(async () => (root.querySelector('[data-testid="treatment-snippet"]') as HTMLButtonElement).click());
    await act(async () => {});
    expect(writeText).toHaveBeenCalledWith('Hi Ana, thank you for being with us.');
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Copied: Thank them');
    await act(async () => (root.querySelector('[data-testid="treatment-tag"]') as HTMLButtonElement).click());
    await act(async () => {});
    expect(writeText).toHaveBeenLastCalledWith('vip');
  });

  it('says when copying failed', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) }, configurable: true });
    const root = mount();
    await act(async () => (root.querySelector('[data-testid="treatment-snippet"]') as HTMLButtonElement).click());
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
    expect(root.querySelector('[role="status"]')?.textContent).toContain('Could not copy');
  });
});
