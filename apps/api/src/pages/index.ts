export { pagesRouter } from './pages-router.js';
export type { PagesRouterOptions } from './pages-router.js';
export { DemoSessions } from './demo-sessions.js';
export type { DemoSession } from './demo-sessions.js';
