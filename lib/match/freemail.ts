/**
 * Email domains of mailbox providers: a person's address there says nothing about their company,
 * so they never stand for a company in account-level matching.
 */
export const FREEMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'ymail.com', 'hotmail.com',
  'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com',
  'mac.com', 'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'mail.ru',
  'yandex.com', 'yandex.ru', 'zoho.com', 'fastmail.com', 'hey.com', 'qq.com', '163.com', '126.com', 'naver.com',
  'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 't-online.de', 'comcast.net', 'verizon.net', 'att.net',
]);

export function isCompanyDomain(domain: string | undefined): domain is string {
  return domain !== undefined && domain.includes('.') && !FREEMAIL_DOMAINS.has(domain.toLowerCase());
}
