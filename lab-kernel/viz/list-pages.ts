import type { ApiRequest } from '../api/request';
import type { KubeList } from '../api/types';
import type { Kubectl } from '../kubectl/kubectl';

/**
 * A list read in pages, as a client with `limit` does it: each request sends the `continue` token
 * of the page before, until a page comes without one. One row per page; `afterPage(n)` runs right
 * after page n arrived (to change something between two pages).
 *
 *   pagedList(kubectl, { verb: 'list', resource: 'configmaps', namespace: 'pages', limit: 3 })
 *   // => [{ page: 1, items: 'cfg-1, cfg-2, cfg-3', 'list resourceVersion': '134', remainingItemCount: 4, continue: 'eyJ2IjoibWV0YS5r…' },
 *   //     { page: 2, items: 'cfg-4, cfg-5, cfg-6', ..., remainingItemCount: 1, ... },
 *   //     { page: 3, items: 'cfg-7', 'list resourceVersion': '134', remainingItemCount: '', continue: '(none: last page)' }]
 */
export interface PageRow {
  page: number;
  items: string;
  'list resourceVersion': string;
  remainingItemCount: number | '';
  /** The token's first 16 characters. */
  continue: string;
}

export function pagedList(kubectl: Pick<Kubectl, 'request'>, req: ApiRequest, afterPage: (page: number) => void = () => undefined): PageRow[] {
  const rows: PageRow[] = [];
  let token: string | undefined;
  do {
    const page = kubectl.request(Object.assign({}, req, { continue: token })).body as KubeList;
    rows.push({
      page: rows.length + 1,
      items: page.items.map((i) => i.metadata.name).join(', '),
      'list resourceVersion': page.metadata.resourceVersion,
      remainingItemCount: page.metadata.remainingItemCount ?? '',
      continue: page.metadata.continue ? page.metadata.continue.slice(0, 16) + '…' : '(none: last page)',
    });
    afterPage(rows.length);
    token = page.metadata.continue;
  } while (token);
  return rows;
}
