export { HttpClientSocketManager } from './http-client-socket-manager.js';
export type { HttpClientSocketManagerOptions } from './http-client-socket-manager.js';
export { errorFromResponse, errorFromFailure } from './http-errors.js';
// Re-exported so a pal's server needs this one package to use the SDK.
export { ClientSocket, ClientSocketError, isClientSocketError, SOCKET_COLUMNS } from '@clientsocket/core';
export type {
  ClientSocketData,
  ClientSocketManager,
  CreateOptions,
  CreateSocketRequest,
  ErrorCode,
  FieldIssue,
  GetSocketsOptions,
  Message,
  SystemDataView,
} from '@clientsocket/core';
