/**
 * When FreeSWITCH ends an endpoint by itself (media timeout, shutdown, kill), say why. The cause arrives two ways and
 * in no fixed order: the CHANNEL_CALLSTATE HANGUP event (drachtio-fsmrf's `destroy` with `reason`), or the BYE that
 * FreeSWITCH sends drachtio for the endpoint's dialog (`Reason: SIP;cause=804;text="MEDIA_TIMEOUT"`). A bridged
 * endpoint often loses its event socket first (`destroy` without a reason), so that case waits briefly for the BYE.
 */
import type Srf from 'drachtio-srf';
import type { Endpoint } from 'drachtio-fsmrf/lib/mediaserver.js';

/** How long an endpoint gone without a cause waits for the BYE that carries it. */
const REASON_WAIT_MS = 500;

/** Our hangup cause for FreeSWITCH's (Hangup-Cause or the text of a Reason header). */
export function endpointGoneCause(fsCause: string | undefined): string {
  return fsCause === 'MEDIA_TIMEOUT' ? 'media_timeout' : 'media_server_hangup';
}

/** The `text="…"` of a Reason header, e.g. `SIP;cause=804;text="MEDIA_TIMEOUT"` -> MEDIA_TIMEOUT. */
export function reasonText(header: string | undefined): string | undefined {
  return header ? /text="([^"]*)"/.exec(header)?.[1] : undefined;
}

/** Call `onGone` once, with the cause and the moment the endpoint was first seen gone. */
export function onEndpointGone(ep: Endpoint, onGone: (cause: string, at: Date) => void): void {
  let at: Date | undefined;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const report = (fsCause: string | undefined): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    onGone(endpointGoneCause(fsCause), at ?? new Date());
  };
  ep.on('destroy', (evt) => {
    at ??= new Date();
    if (evt?.reason) report(evt.reason);
    else timer ??= setTimeout(() => report(undefined), REASON_WAIT_MS);
  });
  ep.dialog?.on('destroy', (bye: Srf.SrfRequest) => {
    at ??= new Date();
    report(reasonText(bye.get('Reason')));
  });
}
