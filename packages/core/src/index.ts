export { ERROR_CODES, HTTP_STATUS, ClientSocketError, isClientSocketError, toClientSocketError } from './errors.js';
export type { ErrorCode, FieldIssue, ClientSocketErrorOptions } from './errors.js';
export { LIMITS, isPrintable } from './limits.js';
export { newSocketId, isSocketId, shortId } from './ids.js';
export { normalizeIp, parseCidrList, ipInCidrs, resolveClientIp } from './ip.js';
export type { CidrList } from './ip.js';
export { messageByteLength, assertMessage } from './message.js';
export type { Message } from './message.js';
export {
  channelSchema,
  workflowSchema,
  renewalSchema,
  createSocketSchema,
  sendMessageSchema,
  listSocketsSchema,
  parseInput,
  toFieldIssues,
} from './schemas.js';
export type { CreateSocketInput, ListSocketsInput } from './schemas.js';
export { ClientSocket, SOCKET_COLUMNS } from './client-socket.js';
export type { ClientSocketData, MessageSender } from './client-socket.js';
export { resolveCreateArgs } from './client-socket-manager.js';
export type { ClientSocketManager, CreateOptions, CreateSocketRequest, GetSocketsOptions, SystemDataView } from './client-socket-manager.js';
export { buildEndpoints } from './endpoints.js';
