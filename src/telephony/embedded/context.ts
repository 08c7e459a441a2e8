/** What the driver hands to its call legs: the stack, the media plumbing and the dialog table. */
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings.js';
import type { SipStack } from './sip/stack.js';
import type { ServerTx } from './sip/transactions.js';
import type { MediaClock } from './media/clock.js';
import type { MediaLeg } from './media/media-leg.js';

export interface DriverContext {
  stack: SipStack;
  log: Logger;
  settings: Settings;
  clock: MediaClock;
  /** Advertised address (SDP c=, Contact, Via) and the SIP port. */
  address: string;
  port: number;
  newMedia: () => Promise<MediaLeg>;
  register: (key: string, handler: (tx: ServerTx) => void) => void;
  unregister: (key: string) => void;
}
