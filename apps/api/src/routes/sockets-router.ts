import { Router } from 'express';
import { ClientSocketError, listSocketsSchema, parseInput, sendMessageSchema, type CreateSocketRequest, type Message } from '@clientsocket/core';
import type { ClusterClientSocketManager } from '@clientsocket/store';
import { palOf } from '../auth.js';

/**
 * SPEC §3 routes. Each handler is a thin translation between HTTP and the
 * pal's in-cluster ClientSocketManager, which owns validation (message size
 * included) and tenancy.
 */
export function socketsRouter(managerFor: (pal: string) => ClusterClientSocketManager): Router {
  const router = Router();

  router.post('/sockets', async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ClientSocketError('validation_failed', 'Body must be a JSON object', { details: [{ field: '(body)', message: 'must be a JSON object' }] });
    }
    const socket = await managerFor(palOf(res)).createClientSocket(body as CreateSocketRequest);
    res.status(201).location(`/v1/sockets/${socket.getId()}`).json(socket.toJSON());
  });

  router.get('/sockets', async (req, res) => {
    const query = parseInput(listSocketsSchema, req.query);
    const view = await managerFor(palOf(res)).getSockets(query);
    res.json({ columns: view.columns, rows: view.rows.map((r) => r.toJSON()), total: view.total, nextCursor: view.nextCursor });
  });

  router.get('/sockets/:id', async (req, res) => {
    const socket = await managerFor(palOf(res)).getClientSocket(req.params.id);
    if (!socket) throw new ClientSocketError('not_found', 'No such socket');
    res.json(socket.toJSON());
  });

  router.delete('/sockets/:id', async (req, res) => {
    const deleted = await managerFor(palOf(res)).deleteClientSocket(req.params.id);
    if (!deleted) throw new ClientSocketError('not_found', 'No such socket');
    res.status(204).end();
  });

  router.post('/sockets/:id/messages', async (req, res) => {
    const { message } = parseInput(sendMessageSchema, req.body ?? {});
    const delivered = await managerFor(palOf(res)).sendMessage(req.params.id, message as Message);
    res.status(202).json({ delivered });
  });

  router.post('/channels/:channel/messages', async (req, res) => {
    const { message } = parseInput(sendMessageSchema, req.body ?? {});
    const delivered = await managerFor(palOf(res)).sendChannelMessage(req.params.channel, message as Message);
    res.status(202).json({ delivered });
  });

  return router;
}
