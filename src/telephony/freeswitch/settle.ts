/** Small promise helpers for a call that may end at any moment. */

/** Resolve with `p`'s value, or `undefined` as soon as `ended` fires first. Rejections of `p` pass through. */
export function unlessEnded<T>(p: Promise<T>, ended: Promise<unknown>): Promise<T | undefined> {
  return Promise.race([p, ended.then(() => undefined)]);
}

/** Wait for `p` at most `ms`; teardown must not hang on a media server that stopped answering. */
export async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([p.catch(() => undefined), t]);
  } finally {
    clearTimeout(timer);
  }
}
