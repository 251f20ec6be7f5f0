/** Extension storage as a test sees it: a map, with the get/set/remove a backup reads and writes. */
import type { SettingsStorage } from '~/lib/pages/backup';

export function fakeStorage(initial: Record<string, unknown>): SettingsStorage & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(structuredClone(initial)));
  return {
    data,
    get: async () => structuredClone(Object.fromEntries(data)),
    set: async (items) => void Object.entries(structuredClone(items)).forEach(([k, v]) => data.set(k, v)),
    remove: async (keys) => void keys.forEach((k) => data.delete(k)),
  };
}
