/**
 * The API key lives in sessionStorage: it survives a reload of the tab but not closing it, and is never written
 * to localStorage or a cookie.
 */
const KEY = 'callroute.apiKey';

export function sessionKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveSession(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
