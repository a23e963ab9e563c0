import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queryable } from '../inventory/database.js';

/**
 * `GET /healthz`: 200 when the database answers, 503 otherwise. Returns false for any other request so
 * Probot's server carries on to its own routes.
 */
export function healthHandler(db: Queryable) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/healthz') return false;
    let ok = true;
    try {
      await db.query('select 1');
    } catch {
      ok = false;
    }
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable' }));
    return true;
  };
}
