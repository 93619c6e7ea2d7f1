import type { ApiResponse } from '../api/request';
import type { Status } from '../api/status';
import { REASON_PHRASE } from './client';

/**
 * An answer of the API server in a table cell's worth of text: the code and its reason phrase on
 * success (and, if asked, something about the object), the code and the Status's message on failure.
 *
 *   answerLine({ code: 201, body: pod })                                       // => '201 Created'
 *   answerLine({ code: 200, body: cm }, (o) => `counter ${o.data.counter}`)    // => '200 OK, counter 1'
 *   answerLine({ code: 403, body: status })   // => '403 pods "p3" is forbidden: exceeded quota: compute, ...'
 */
export function answerLine(res: ApiResponse, detail?: (object: any) => string): string {
  if (res.code >= 400) return `${res.code} ${(res.body as Status | undefined)?.message ?? ''}`;
  const line = `${res.code} ${REASON_PHRASE[res.code] ?? ''}`.trimEnd();
  return detail === undefined ? line : `${line}, ${detail(res.body)}`;
}
