/**
 * Why a host's layout entry (./layout.ts) is what it is, in a person's words: shown in Options → Sites
 * next to the choice, and the short form of docs/architecture.md "Layout …". Kept out of layout.ts so
 * the content scripts do not carry these sentences.
 */
export const LAYOUT_NOTES: Readonly<Record<string, string>> = {
  shopify: 'Not beside the page: the admin’s top bar stays full width, so its menu at the right would be under Centric.',
  gmail: 'Not beside the page: Gmail sizes its panes from the window and keeps its own side panel at the right.',
};

/** The sentence for a site's automatic choice, e.g. "beside the page; a badge below 1200 px". */
export const AUTOMATIC_NOTE = 'Automatic: the site’s usual place on a wide window, a small badge on a window narrower than 1200 px.';
