/**
 * The only form of a secret that keywarden shows: the public prefix that names its kind and the last four
 * characters, e.g. `sk-proj-…a1B2`. Short values show fewer trailing characters, so that at least
 * three quarters of what follows the prefix stays hidden.
 */
export function redact(secret: string, visiblePrefix = ''): string {
  const prefix = secret.startsWith(visiblePrefix) ? visiblePrefix : '';
  const rest = secret.length - prefix.length;
  const tail = Math.max(0, Math.min(4, Math.floor(rest / 4)));
  return `${prefix}…${tail > 0 ? secret.slice(-tail) : ''}`;
}
