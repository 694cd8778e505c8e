import type { Router } from 'express';
import type { Config } from '@clientsocket/config';
import type { Logger } from '@clientsocket/observability';
import type { ClusterContext } from '@clientsocket/store';

/** The browser pages (admin, demo), when that module is present. */
export async function loadPages(config: Config, context: ClusterContext, log: Logger): Promise<Router | undefined> {
  try {
    const modulePath = './pages/index.js';
    const mod = (await import(modulePath)) as { pagesRouter?: (opts: unknown) => Router };
    return mod.pagesRouter?.({
      config,
      context,
      log,
      demoEnabled: config.DEMO_ENABLED,
      ...(config.DEMO_GATEWAY_URLS.length ? { demoGatewayUrls: config.DEMO_GATEWAY_URLS } : {}),
    });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') log.warn({ err }, 'pages not loaded');
    return undefined;
  }
}
