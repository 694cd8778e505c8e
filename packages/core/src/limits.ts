/** Limits fixed by the specification. Everything that validates input reads them from here. */
export const LIMITS = {
  /** Channel names: 1-255 printable characters. */
  channelMaxLength: 255,
  /** Receiver workflow names: 1-255 of `[A-Za-z0-9._-]`. */
  workflowMaxLength: 255,
  workflowPattern: /^[A-Za-z0-9._-]+$/,
  /** Renewal increment in whole (renewal) minutes. */
  renewalMin: 1,
  renewalMax: 30,
  renewalDefault: 1,
  /** Page size of `GET /v1/sockets`. */
  listLimitMin: 1,
  listLimitMax: 1000,
  listLimitDefault: 100,
  /** Pal names (tenants): the part before `:` in `API_KEYS`. */
  palPattern: /^[A-Za-z0-9._-]{1,64}$/,
} as const;

/** Printable: no C0/C1 control characters (tabs and newlines included). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True when every character of `value` is printable (and the string is well-formed Unicode: no lone surrogates). */
export function isPrintable(value: string): boolean {
  return !CONTROL.test(value) && value.isWellFormed();
}
