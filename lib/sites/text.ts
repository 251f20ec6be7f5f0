/** Small, pure helpers shared by the site adapters for reading page text safely. */

const EMAIL_PATTERN = /[A-Z0-9._%+'-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

/** The trimmed, whitespace-collapsed text of an element, or undefined when empty or absent. */
export function textOf(element: Element | null | undefined): string | undefined {
  const text = element?.textContent?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/** The first email address inside a string, lower-cased; undefined when there is none. */
export function findEmail(text: string | null | undefined): string | undefined {
  const match = text ? EMAIL_PATTERN.exec(text) : null;
  return match ? match[0].toLowerCase() : undefined;
}

/** Email from a mailto: link's href (query and fragments dropped), lower-cased. */
export function emailFromMailto(href: string | null | undefined): string | undefined {
  if (!href || !/^mailto:/i.test(href)) return undefined;
  let address = href.slice('mailto:'.length).split('?')[0] ?? '';
  try {
    address = decodeURIComponent(address);
  } catch {
    // keep the raw text: a malformed escape is not a reason to lose the address
  }
  return findEmail(address);
}

/** The registrable-looking domain of an email address ("ana@mail.acme.com" -> "mail.acme.com"). */
export function domainOfEmail(email: string | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at > 0 ? email.slice(at + 1).toLowerCase() : undefined;
}

/** Removes undefined fields so identities compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
