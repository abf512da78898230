import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

/*
 * Security headers on every response, as MLflow 3.5's middleware sets them: no framing by other sites, no content
 * sniffing, and for the dashboard a Content-Security-Policy that runs only its own scripts. HSTS is left to the TLS
 * proxy in front (a plain-HTTP loopback server cannot promise HTTPS).
 */

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const COMMON = { strictTransportSecurity: false, crossOriginEmbedderPolicy: false, xFrameOptions: { action: "sameorigin" } } as const;

const dashboard: Middleware = helmet({
  ...COMMON,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      // Naive UI renders its styles at run time into <style> elements
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:", "blob:"],
      "media-src": ["'self'", "data:", "blob:"],
      "font-src": ["'self'", "data:"],
      "connect-src": ["'self'"],
      "worker-src": ["'self'", "blob:"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'self'"],
    },
  },
});

/** JSON, files and streams: nothing in them may load or run anything */
const api: Middleware = helmet({
  ...COMMON,
  contentSecurityPolicy: { useDefaults: false, directives: { "default-src": ["'none'"], "frame-ancestors": ["'self'"] } },
});

/** GraphiQL's page and files (http/graphiql.ts): all from this server, scripts and workers as files, nothing inline to run */
const graphiql: Middleware = helmet({
  ...COMMON,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      // the editor (Monaco) and GraphiQL's components set styles at run time
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:"],
      "font-src": ["'self'", "data:"],
      "connect-src": ["'self'"],
      "worker-src": ["'self'"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'self'"],
    },
  },
});

const apply = (middleware: Middleware) => (req: IncomingMessage, res: ServerResponse) => middleware(req, res, () => undefined);

export const setDashboardHeaders = apply(dashboard);
export const setApiHeaders = apply(api);
export const setGraphiQLHeaders = apply(graphiql);
