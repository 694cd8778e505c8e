export { connect, ClientSocketConnection } from './connection.js';
export type { ConnectHandlers, ConnectOptions, ConnectionState, FinalReason, MessageAck, ServerCloseReason, StateDetail } from './connection.js';
export { SendError } from './send-error.js';
export type { SendErrorCode } from './send-error.js';
export { startKeepaliveTimer } from './keepalive-timer.js';
export type { KeepaliveTimer, TimerKind } from './keepalive-timer.js';
