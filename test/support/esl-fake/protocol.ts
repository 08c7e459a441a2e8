/**
 * FreeSWITCH event-socket framing as mod_event_socket writes it and modesl's Parser reads it: header lines
 * `Name: value` (values URL-encoded in plain events and CHANNEL_DATA), a blank line, then `Content-Length` bytes.
 */
import { randomUUID } from 'node:crypto';

export const CORE_UUID = randomUUID();
let sequence = 1000;

export function commandReply(text: string, extra: Record<string, string> = {}): string {
  const lines = ['Content-Type: command/reply', `Reply-Text: ${text}`];
  for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${encodeURIComponent(v)}`);
  return `${lines.join('\n')}\n\n`;
}

export function apiResponse(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

export function jsonEvent(headers: Record<string, string>, body?: string): string {
  const data: Record<string, string> = { ...headers };
  if (body !== undefined) {
    data['Content-Length'] = String(Buffer.byteLength(body));
    data._body = body;
  }
  const json = JSON.stringify(data);
  return `Content-Length: ${Buffer.byteLength(json)}\nContent-Type: text/event-json\n\n${json}`;
}

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export const DISCONNECT_NOTICE = `Content-Type: text/disconnect-notice\nContent-Length: ${Buffer.byteLength(GOODBYE)}\n\n${GOODBYE}`;

/** What an outbound (socket app) session gets when its channel hangs up. */
export function channelDisconnectNotice(uuid: string): string {
  return `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: disconnect\nContent-Length: ${Buffer.byteLength(GOODBYE)}\n\n${GOODBYE}`;
}

/** Headers FreeSWITCH puts on every event. */
export function eventBase(name: string, hostname = 'fs-standin'): Record<string, string> {
  const now = Date.now();
  return {
    'Event-Name': name,
    'Core-UUID': CORE_UUID,
    'FreeSWITCH-Hostname': hostname,
    'FreeSWITCH-Switchname': hostname,
    'FreeSWITCH-IPv4': '127.0.0.1',
    'FreeSWITCH-IPv6': '::1',
    'Event-Date-Local': new Date(now).toISOString().replace('T', ' ').slice(0, 19),
    'Event-Date-GMT': new Date(now).toUTCString(),
    'Event-Date-Timestamp': String(now * 1000),
    'Event-Calling-File': 'switch_core_state_machine.c',
    'Event-Calling-Function': 'switch_core_session_run',
    'Event-Calling-Line-Number': '600',
    'Event-Sequence': String(++sequence),
  };
}

/** Reads client commands: a first line, optional `Name: value` lines, ended by a blank line. */
export class CommandReader {
  private buf = '';

  push(chunk: Buffer): { line: string; headers: Record<string, string> }[] {
    this.buf += chunk.toString('utf8');
    const out: { line: string; headers: Record<string, string> }[] = [];
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end === -1) break;
      const block = this.buf.slice(0, end).replace(/\r/g, '');
      this.buf = this.buf.slice(end + 2);
      const [line = '', ...rest] = block.split('\n');
      const headers: Record<string, string> = {};
      for (const h of rest) {
        const i = h.indexOf(': ');
        if (i > 0) headers[h.slice(0, i)] = h.slice(i + 2);
      }
      if (line.trim()) out.push({ line: line.trim(), headers });
    }
    return out;
  }
}
