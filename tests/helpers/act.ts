/**
 * A person's input on a rendered Preact component in the unit tests (happy-dom), each inside act() so
 * the component has rendered its answer before the test reads the DOM. Shared by the options sections'
 * helpers (tests/unit/components/sources/helpers.tsx, tests/unit/components/treatments/helpers.tsx).
 */
import { act } from 'preact/test-utils';

/** Lets queued work run (a timer of `ms`), inside act(). */
export const tick = (ms = 0) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

export async function click(element: Element | null | undefined) {
  if (!element) throw new Error('Nothing to click');
  await act(async () => {
    (element as HTMLElement).click();
  });
  await tick();
}

/** Types into an input, textarea or number field (sets the value and fires input). */
export async function type(element: Element | null | undefined, value: string) {
  if (!element) throw new Error('Nothing to type into');
  await act(() => {
    (element as HTMLInputElement).value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Chooses an option of a select (sets the value and fires change). */
export async function choose(element: Element | null | undefined, value: string) {
  if (!element) throw new Error('No select');
  await act(() => {
    (element as HTMLSelectElement).value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
