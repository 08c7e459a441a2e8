/** The message of the SettingsError `fn` throws (fails the test if it throws nothing or something else). */
import { SettingsError } from '../../../src/config/settings.js';

export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SettingsError) return err.message;
    throw err;
  }
  throw new Error('expected a SettingsError');
}
