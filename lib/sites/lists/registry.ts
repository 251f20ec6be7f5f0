import { demoList } from './demo';
import { freshdeskList } from '../hosts/freshdesk/list';
import { gmailList } from '../hosts/gmail/list';
import { hubspotList } from '../hosts/hubspot/list';
import { pipedriveList } from '../hosts/pipedrive/list';
import { salesforceList } from '../hosts/salesforce/list';
import type { ListReader } from './types';
import { zendeskList } from '../hosts/zendesk/list';

/** The list readers, by site adapter id. Adding a host's lists = one file here and one line. */
export const LIST_READERS: readonly ListReader[] = [hubspotList, salesforceList, pipedriveList, zendeskList, freshdeskList, gmailList, demoList];

export function listReaderFor(siteId: string): ListReader | undefined {
  return LIST_READERS.find((r) => r.id === siteId);
}
