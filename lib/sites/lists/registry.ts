import { demoList } from './demo';
import { freshdeskList } from './freshdesk';
import { gmailList } from './gmail';
import { hubspotList } from './hubspot';
import { pipedriveList } from './pipedrive';
import { salesforceList } from './salesforce';
import type { ListReader } from './types';
import { zendeskList } from './zendesk';

/** The list readers, by site adapter id. Adding a host's lists = one file here and one line. */
export const LIST_READERS: readonly ListReader[] = [hubspotList, salesforceList, pipedriveList, zendeskList, freshdeskList, gmailList, demoList];

export function listReaderFor(siteId: string): ListReader | undefined {
  return LIST_READERS.find((r) => r.id === siteId);
}
