import type { App } from '../../web/request-context.js';

// Filled by the desk pages work in progress.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function deskPageRoutes(app: App) {}
