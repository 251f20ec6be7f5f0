/**
 * A setting (lib/settings/items.ts) in a Preact component of an extension page: read at mount and
 * followed while mounted (a change in any tab or the background shows at once). `undefined` until read.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Setting } from '~/lib/settings/setting';
import { readSetting, watchSetting } from '~/lib/settings/storage';

export function useSetting<T>(setting: Setting<T>): T | undefined {
  const [value, setValue] = useState<{ value: T } | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const stop = watchSetting(setting, (next) => setValue({ value: next }));
    void readSetting(setting).then((read) => {
      if (live) setValue((now) => now ?? { value: read });
    });
    return () => {
      live = false;
      stop();
    };
  }, [setting]);
  return value?.value;
}
