// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { salesforce } from '~/lib/sites/hosts/salesforce/adapter';
import { deepQuerySelectorAll } from '~/lib/sites/text';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { attachDeclarativeShadowRoots, withChromeDom } from '../../helpers/shadow';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('salesforce');
const base = 'https://acme.lightning.force.com';
const contactUrl = new URL(`${base}/lightning/r/Contact/0035g00000CmVq1AAB/view`);

/** A standard-navigation page with one active page host holding the given fields. */
function page(fields: string, hostClass = 'oneContent active lafPageHost'): Document {
  return htmlDocument(`<div class="center oneCenterStage"><div class="${hostClass}">${fields}</div></div>`);
}
function field(object: string, api: string, valueHtml: string): string {
  return `<records-record-layout-item field-label="${api}"><div data-target-selection-name="sfdc:RecordField.${object}.${api}" role="listitem">
    <span class="test-id__field-label">${api}</span><span class="test-id__field-value">${valueHtml}</span>
    <button title="Edit ${api}"><span class="slds-assistive-text">Edit ${api}</span></button></div></records-record-layout-item>`;
}

describe('Salesforce adapter', () => {
  describe.each(cases)('$fixture at $url', ({ url, fixture, expect: expected }) => {
    it(expected ? 'reads exactly the focused record' : 'is not a record page and yields no identity', () => {
      const target = new URL(url);
      const { identity } = salesforce.extract(loadFixture(`salesforce/${fixture}`), target);
      if (expected) {
        expect(salesforce.isRecordPage(target)).toBe(true);
        expect(identity).toEqual({ host: 'salesforce', ...expected });
      } else {
        expect(salesforce.isRecordPage(target)).toBe(false);
        expect(identity).toBeNull();
      }
    });
  });

  it('reports nothing missing on complete person records', () => {
    for (const c of cases.filter((c) => c.expect?.email)) {
      expect(salesforce.extract(loadFixture(`salesforce/${c.fixture}`), new URL(c.url)).missing).toEqual([]);
    }
  });

  it('ignores the background console tab even when the focused one lacks the field', () => {
    const doc = loadFixture('salesforce/contact-console.html');
    // Sanity: the background tab (Luca Tanaka) comes first in DOM order.
    expect(doc.querySelector('a[href^="mailto:"]')?.getAttribute('href')).toBe('mailto:luca.tanaka.2@harborpine.example');
    const active = doc.querySelector('.oneWorkspace.active');
    active?.querySelectorAll('[data-target-selection-name="sfdc:RecordField.Contact.Email"]').forEach((el) => el.remove());
    const { identity, missing } = salesforce.extract(doc, contactUrl);
    expect(identity?.email).toBeUndefined();
    expect(identity?.name).toBe('Carmen Vasquez');
    expect(missing).toEqual(['contact email']);
  });

  it('ignores the cached (inactive) page of standard navigation', () => {
    const doc = loadFixture('salesforce/lead.html');
    const url = new URL(`${base}/lightning/r/Lead/00Q5g00000ChQs3EAF/view`);
    doc.querySelector('.oneContent.active')?.classList.remove('active');
    expect(salesforce.extract(doc, url)).toEqual({ identity: null, missing: ['active record page'] });
  });

  it('reads the focused console subtab, not the inactive subtab or workspace around it', () => {
    const doc = loadFixture('salesforce/case-console.html');
    const url = new URL(`${base}/lightning/r/Case/5005g00000TrIv4AAD/view`);
    // Focus the account subtab instead: no active page holds the Case any more.
    const sections = doc.querySelectorAll('.oneWorkspace.active section.oneConsoleTab');
    sections.forEach((s) => s.classList.toggle('active'));
    sections.forEach((s) => s.querySelector('.lafPageHost')?.classList.toggle('active'));
    expect(salesforce.extract(doc, url).identity).toBeNull();
  });

  it('reads a person account by its email, and a business account by its website', () => {
    const url = new URL(`${base}/lightning/r/Account/0015g00000AbCdEAAZ/view`);
    const person = page(
      field('Account', 'Name', '<lightning-formatted-name>Kaia Zhou</lightning-formatted-name>') +
        field('Account', 'PersonEmail', '<lightning-formatted-email><a href="mailto:kaia.zhou.10@silverline.example">kaia.zhou.10@silverline.example</a></lightning-formatted-email>'),
    );
    expect(salesforce.extract(person, url).identity).toEqual({
      host: 'salesforce',
      hostRecordId: '0015g00000AbCdEAAZ',
      recordType: 'account',
      email: 'kaia.zhou.10@silverline.example',
      name: 'Kaia Zhou',
      domain: 'silverline.example',
    });
    const business = page(
      field('Account', 'Name', 'Silverline Health') +
        field('Account', 'Website', '<lightning-formatted-url><a href="https://WWW.Silverline.example/about">Silverline</a></lightning-formatted-url>'),
    );
    expect(salesforce.extract(business, url).identity).toMatchObject({ company: 'Silverline Health', domain: 'silverline.example' });
  });

  // Inline edit, as on a real Account page after a click on a pencil (atskimura/SalesforceDummyFill,
  // test-samples/salesforce-account-inline.html, about 2025-06-20; see ../shared/fixtures/hosts/README.md):
  // the value part holds a lightning-input with the field's own <label> and an <input>; a lookup holds a
  // lightning-grouped-combobox. The typed value is the input's property, not an attribute.
  function editField(object: string, api: string, label: string, lookup = false): string {
    const control = lookup
      ? `<records-record-layout-lookup data-input-element-id="input-field"><lightning-lookup><lightning-grouped-combobox variant="label-inline">
          <label class="slds-form-element__label" data-main-label="">${label}</label><div class="slds-form-element__control"><lightning-base-combobox data-lookup="">
          <input class="slds-combobox__input slds-input" type="text" role="combobox" data-value="" placeholder="Search Accounts..."></lightning-base-combobox></div>
          </lightning-grouped-combobox></lightning-lookup></records-record-layout-lookup>`
      : `<lightning-input data-input-element-id="input-field" variant="label-inline"><lightning-primitive-input-simple><div part="input-text">
          <label class="slds-form-element__label slds-no-flex" part="label">${label}</label><div class="slds-form-element__control slds-grow">
          <input class="slds-input" part="input" name="${api}" type="text"></div></div></lightning-primitive-input-simple></lightning-input>`;
    return `<records-record-layout-item field-label="${label}"><div class="slds-grid label-inline" data-target-selection-name="sfdc:RecordField.${object}.${api}" role="listitem">
      <div aria-live="polite"></div><span class="test-id__field-value slds-size_1-of-1"><slot name="inputField">${control}</slot></span></div></records-record-layout-item>`;
  }

  it('in inline edit reads the value being typed, never the field label (issue 17)', () => {
    const doc = page(
      `<records-highlights2><h1><slot name="primaryField">Elena Ruiz</slot></h1></records-highlights2>` +
        editField('Contact', 'Name', 'Name') +
        editField('Contact', 'Email', 'Email') +
        editField('Contact', 'AccountId', 'Account Name', true),
    );
    const inputs = [...doc.querySelectorAll('input')] as HTMLInputElement[];
    // Before anything is typed: the labels must not come back as values; the saved name is in the header.
    let identity = salesforce.extract(doc, contactUrl).identity;
    expect(identity).toMatchObject({ name: 'Elena Ruiz', recordType: 'contact' });
    expect(JSON.stringify(identity)).not.toMatch(/Account Name|"Email"/);
    expect(identity?.company).toBeUndefined();
    // The agent edits the fields: the values are read from the inputs' properties.
    inputs[0]!.value = '  Elena  Ruiz-Díaz ';
    inputs[1]!.value = 'Elena.Ruiz@Harbor-Pine.example';
    inputs[2]!.value = 'Harbor & Pine';
    identity = salesforce.extract(doc, contactUrl).identity;
    expect(identity).toMatchObject({ name: 'Elena Ruiz-Díaz', email: 'elena.ruiz@harbor-pine.example', company: 'Harbor & Pine', domain: 'harbor-pine.example' });
    // The Japanese UI of the capture: the label 取引先名 is never taken for the account's name.
    const ja = page(editField('Account', 'Name', '取引先名') + `<records-highlights2><h1><slot name="primaryField">ハーバー商事</slot></h1></records-highlights2>`);
    expect(salesforce.extract(ja, new URL(`${base}/lightning/r/Account/0012w000005TOQ8AAO/view`)).identity).toMatchObject({ company: 'ハーバー商事' });
  });

  it('falls back to the web email and name of a case without a contact', () => {
    const url = new URL(`${base}/lightning/r/Case/5005g00000AbCdEAAZ/view`);
    const doc = page(
      field('Case', 'SuppliedEmail', '<lightning-formatted-email><a href="mailto:ada.rossi.43@silverline.example">ada.rossi.43@silverline.example</a></lightning-formatted-email>') +
        field('Case', 'SuppliedName', 'Ada Rossi'),
    );
    expect(salesforce.extract(doc, url)).toEqual({
      identity: {
        host: 'salesforce',
        hostRecordId: '5005g00000AbCdEAAZ',
        recordType: 'case',
        email: 'ada.rossi.43@silverline.example',
        name: 'Ada Rossi',
        domain: 'silverline.example',
      },
      missing: [],
    });
  });

  it('says what it could not find on a page that has not rendered the record yet', () => {
    expect(salesforce.extract(htmlDocument('<div class="oneCenterStage"></div>'), contactUrl)).toEqual({
      identity: null,
      missing: ['active record page'],
    });
    expect(salesforce.extract(page('<records-highlights2></records-highlights2>'), contactUrl)).toEqual({
      identity: null,
      missing: ['contact email', 'contact name'],
    });
    expect(salesforce.extract(htmlDocument(''), new URL(`${base}/lightning/page/home`)).missing).toEqual([
      'record id in the URL',
    ]);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = page(
      field('Contact', 'Name', '&lt;img src=x onerror=alert(1)&gt;') +
        field('Contact', 'Email', '<a href="mailto:bad@x.example">bad@x.example</a>'),
    );
    expect(salesforce.extract(doc, contactUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('recognises record pages of the five objects only', () => {
    for (const path of [
      '/lightning/r/Account/0015g00000TdWt7AAB/view',
      '/lightning/r/Contact/003000000000001/view',
      '/lightning/r/Lead/00Q5g00000ChQs3EAF/view',
      '/lightning/r/Case/5005g00000TrIv4AAD/view/',
      '/lightning/r/Opportunity/0065g00000ZpOd9AAF/view',
    ]) {
      expect(salesforce.isRecordPage(new URL(base + path)), path).toBe(true);
    }
    for (const path of [
      '/lightning/o/Contact/list?filterName=Recent',
      '/lightning/o/Account/home',
      '/lightning/page/home',
      '/lightning/r/Account/0015g00000TdWt7AAB/related/Contacts/view',
      '/lightning/r/Report/00O5g000000AbCdEAK/view',
      '/lightning/r/Contact/notAnId/view',
      '/lightning/setup/SetupOneHome/home',
    ]) {
      expect(salesforce.isRecordPage(new URL(base + path)), path).toBe(false);
    }
  });

  it('matches the case URLs with its match patterns, and not other sites', () => {
    const patterns = salesforce.matches.map(matchPatternToRegExp);
    for (const c of cases) {
      const href = new URL(c.url);
      expect(patterns.some((p) => p.test(href.origin + href.pathname)), c.url).toBe(true);
    }
    for (const href of [
      'https://acme--uat.sandbox.lightning.force.com/lightning/r/Contact/0035g00000CmVq1AAB/view',
    ]) {
      expect(patterns.some((p) => p.test(href)), href).toBe(true);
    }
    for (const href of ['https://lightning.force.com.evil.example/lightning/r/Contact/1/view', 'https://www.salesforce.com/']) {
      expect(patterns.some((p) => p.test(href)), href).toBe(false);
    }
  });

  it('watches the center stage, not the whole document', () => {
    const doc = loadFixture('salesforce/account.html');
    expect(salesforce.watchRoot?.(doc, contactUrl)?.classList.contains('oneCenterStage')).toBe(true);
    const consoleDoc = loadFixture('salesforce/contact-console.html');
    expect(salesforce.watchRoot?.(consoleDoc, contactUrl)?.classList.contains('oneWorkspaceCollection')).toBe(true);
  });

  describe('native shadow DOM (Lightning components out of synthetic shadow), German UI', () => {
    const url = new URL(`${base}/lightning/r/Contact/0035g00000DsWx2AAF/view`);
    const TARA = {
      host: 'salesforce',
      hostRecordId: '0035g00000DsWx2AAF',
      recordType: 'contact',
      email: 'tara.ivanova.1162@silverline.example',
      name: 'Tara Ivanova',
      company: 'Silverline Health',
      domain: 'silverline.example',
    };

    it('reads the fields through open shadow roots and their slots, by API name whatever the labels say', () => {
      const doc = loadFixture('salesforce/contact-shadow-de.html');
      // Nothing of the record is in the page's own DOM: only a reader of shadow roots finds it.
      expect(doc.querySelector('[data-target-selection-name], lightning-formatted-email, a[href^="mailto:"]')).toBeNull();
      expect(salesforce.extract(doc, url)).toEqual({ identity: TARA, missing: [] });
    });

    it('never takes the owner, creator or last editor (teammates), the activity feed or the account subtab', () => {
      const doc = loadFixture('salesforce/contact-shadow-de.html');
      const text = JSON.stringify(salesforce.extract(doc, url));
      for (const other of ['Jonas', 'Weber', 'Mia Schulz', 'acme-service', 'Ada Rossi', 'ada.rossi', 'Luca', 'luca.tanaka']) expect(text).not.toContain(other);
    });

    it('ignores a background workspace marked only .navexWorkspace (no .oneWorkspace), even when it comes first', () => {
      const doc = loadFixture('salesforce/contact-shadow-de.html');
      const [background, focused] = doc.querySelectorAll('.navexWorkspace');
      expect(background?.classList.contains('oneWorkspace')).toBe(false);
      expect(background?.classList.contains('active')).toBe(false);
      expect(focused?.classList.contains('active')).toBe(true);
      // The focused contact's detail panel goes: Luca Tanaka's (in the background workspace) must not fill in.
      const detailPanel = deepQuerySelectorAll(focused!.querySelector('section.oneConsoleTab.active')!, 'records-lwc-detail-panel')[0];
      expect(detailPanel).toBeDefined();
      detailPanel!.remove();
      const { identity } = salesforce.extract(doc, url);
      expect(identity).toEqual({ host: 'salesforce', hostRecordId: TARA.hostRecordId, recordType: 'contact', name: 'Tara Ivanova' });
    });

    it('says a field is in a closed shadow root when the page keeps it there, and reads what it can', () => {
      const doc = page(`<records-lwc-highlights-panel><template shadowrootmode="open"><records-highlights2><template shadowrootmode="open"><h1><slot name="primaryField"></slot></h1></template>
          <lightning-formatted-name slot="primaryField">Tara Ivanova</lightning-formatted-name></records-highlights2></template></records-lwc-highlights-panel>
        <records-lwc-detail-panel><template shadowrootmode="closed">${field('Contact', 'Email', '<a href="mailto:tara.ivanova.1162@silverline.example">x</a>')}</template></records-lwc-detail-panel>`);
      attachDeclarativeShadowRoots(doc);
      const closed = withChromeDom(() => salesforce.extract(doc, url));
      expect(closed.identity).toEqual({ host: 'salesforce', hostRecordId: TARA.hostRecordId, recordType: 'contact', name: 'Tara Ivanova' });
      expect(closed.missing).toEqual(['contact email (in a closed shadow root, which Centric cannot read)']);
      // Where the browser cannot tell a closed root apart (no chrome.dom), the part is named plainly.
      expect(salesforce.extract(doc, url).missing).toEqual(['contact email']);
    });

    it('in inline edit reads the typed value from the input inside lightning-input’s shadow tree, never the label', () => {
      const doc = page(`<records-highlights2><h1><slot name="primaryField">Tara Ivanova</slot></h1></records-highlights2>
        <records-record-layout-item field-label="E-Mail"><template shadowrootmode="open"><div data-target-selection-name="sfdc:RecordField.Contact.Email" role="listitem">
          <span class="test-id__field-value"><slot name="inputField"></slot></span></div></template>
          <lightning-input slot="inputField"><template shadowrootmode="open"><lightning-primitive-input-simple><template shadowrootmode="open">
            <label class="slds-form-element__label">E-Mail</label><input class="slds-input" name="Email" type="email"></template></lightning-primitive-input-simple></template></lightning-input>
        </records-record-layout-item>`);
      attachDeclarativeShadowRoots(doc);
      const input = doc.querySelector('lightning-input')!.shadowRoot!.querySelector('lightning-primitive-input-simple')!.shadowRoot!.querySelector('input')!;
      expect(salesforce.extract(doc, url).identity).toEqual({ host: 'salesforce', hostRecordId: TARA.hostRecordId, recordType: 'contact', name: 'Tara Ivanova' });
      input.value = 'Tara.Ivanova.1162@Silverline.example';
      expect(salesforce.extract(doc, url).identity).toMatchObject({ email: 'tara.ivanova.1162@silverline.example', domain: 'silverline.example' });
    });
  });

  it('on a case, never takes the case owner for the customer, nor the account for the person', () => {
    const doc = loadFixture('salesforce/case-console.html');
    const url = new URL(`${base}/lightning/r/Case/5005g00000TrIv4AAD/view`);
    const focused = doc.querySelector('.oneWorkspace.active section.oneConsoleTab.active')!;
    // The focused case loses its contact and web fields: what is left is the owner (an agent) and the account.
    for (const name of ['ContactId', 'ContactEmail', 'SuppliedEmail', 'SuppliedName']) {
      focused.querySelectorAll(`[data-target-selection-name="sfdc:RecordField.Case.${name}"]`).forEach((el) => el.remove());
    }
    const { identity, missing } = salesforce.extract(doc, url);
    expect(identity).toEqual({ host: 'salesforce', hostRecordId: '5005g00000TrIv4AAD', recordType: 'case', company: 'Harbor & Pine' });
    expect(JSON.stringify(identity)).not.toContain('Sam Rivera');
    expect(missing).toEqual(['case contact email', 'case contact name']);
  });
});
