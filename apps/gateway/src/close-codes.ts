import type { ErrorCode } from '@clientsocket/core';
import type { CloseReason } from '@clientsocket/store';

/**
 * Native WebSocket close codes (private-use 4000 range). The close reason
 * text is always the SPEC's error code or `closed` reason, so clients can
 * switch on the reason; the code mirrors it for tools that only show codes.
 * Server-side closes are 40xx; refusals are 4 + their HTTP status.
 */
export const CLOSE_CODES: Readonly<Record<CloseReason | ErrorCode, number>> = {
  expired: 4000,
  deleted: 4001,
  shutdown: 4002,
  validation_failed: 4400,
  unauthorized: 4401,
  ip_not_allowed: 4403,
  not_found: 4404,
  socket_not_found: 4404,
  no_receiver: 4409,
  payload_too_large: 4413,
  rate_limited: 4429,
  internal: 4500,
  unavailable: 4503,
};
