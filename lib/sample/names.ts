/**
 * Deterministic demo identities for the bundled CDNOW sample: the same customer id always gets the
 * same name, email and company, so screenshots, tests and the demo helpdesk agree. Emails use the
 * reserved ".example" top-level domain: they can never reach a real mailbox.
 */

const FIRST_NAMES = [
  'Ada', 'Bela', 'Chidi', 'Dana', 'Elif', 'Farah', 'Goran', 'Hana', 'Ines', 'Jonas', 'Kemal', 'Lea',
  'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uma', 'Viktor', 'Wen', 'Ximena',
  'Yusuf', 'Zoe', 'Amara', 'Bruno', 'Carmen', 'Dev', 'Emeka', 'Freya', 'Gael', 'Hiro', 'Iris', 'Jamal',
  'Kaia', 'Luca', 'Maya', 'Nils', 'Olga', 'Pablo', 'Rania', 'Sami', 'Teo', 'Vera', 'Wiktor', 'Yara',
] as const;

const LAST_NAMES = [
  'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Novak', 'Haddad', 'Ferreira', 'Kowalski', 'Osei', 'Varga',
  'Nakamura', 'Brennan', 'Castillo', 'Dimitrov', 'Eriksen', 'Fontaine', 'Gupta', 'Hoffmann', 'Ivanova',
  'Jensen', 'Kaur', 'Larsen', 'Mendes', 'Nguyen', 'Ortiz', 'Petrov', 'Quispe', 'Rossi', 'Schmidt', 'Torres',
  'Ueda', 'Vasquez', 'Walsh', 'Yilmaz', 'Zhou', 'Abbott', 'Baptiste', 'Cohen', 'Duarte', 'Engel',
] as const;

const COMPANIES = [
  ['Northwind Traders', 'northwind.example'],
  ['Lumenfield', 'lumenfield.example'],
  ['Bluefin Logistics', 'bluefin.example'],
  ['Copperleaf Studio', 'copperleaf.example'],
  ['Harbor & Pine', 'harborpine.example'],
  ['Quantum Orchard', 'quantumorchard.example'],
  ['Redwood Analytics', 'redwood.example'],
  ['Silverline Health', 'silverline.example'],
  ['Tidewater Foods', 'tidewater.example'],
  ['Vantage Robotics', 'vantage.example'],
  ['Willow Lane Books', 'willowlane.example'],
  ['Zephyr Outdoor', 'zephyr.example'],
] as const;

/** A small integer hash (FNV-1a), stable across platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function pick<T>(list: readonly T[], seed: number): T {
  return list[seed % list.length] as T;
}

export interface DemoIdentity {
  name: string;
  email: string;
  company: string;
  domain: string;
}

/** The demo identity of a customer id. Unique per id: the id is part of the email's local part. */
export function demoIdentity(customerId: string): DemoIdentity {
  const h = hash(customerId);
  const first = pick(FIRST_NAMES, h);
  const last = pick(LAST_NAMES, h >>> 8);
  const [company, domain] = pick(COMPANIES, h >>> 16);
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  return { name: `${first} ${last}`, email: `${local}.${customerId}@${domain}`, company, domain };
}
