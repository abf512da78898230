import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from "@graphql-yoga/render-graphiql/graphiql";
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { GraphiQLOptions } from "graphql-yoga";

/*
 * GraphiQL served whole by the API, so that it opens air-gapped: yoga's build of it (the explorer plugin included) from
 * @graphql-yoga/render-graphiql, as files under /graphiql/<version>/ that the page loads with script-src 'self' (no
 * inline script, no CDN). The page's own script reads the options from a JSON block and prefills the dashboard's API
 * key as the authorization header, for HTTP and for the WebSocket that carries subscriptions.
 */

const ASSET_PREFIX = "/graphiql/";
/** Where the dashboard keeps the key it signed in with (API_KEY_STORAGE_KEY in client/src/api/credentials.ts). */
const DASHBOARD_API_KEY_STORAGE_KEY = "lora-studio.api-key";

/** The page's bootstrap: workers by URL (worker-src 'self'), the key the dashboard signed in with, then GraphiQL. */
const START_SCRIPT = `(() => {
  const options = JSON.parse(document.getElementById("graphiql-options").textContent);
  const base = options.assetBase;
  const workers = { editorWorkerService: "editor.worker.js", json: "json.worker.js", graphql: "graphql.worker.js" };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => base + (workers[label] || workers.editorWorkerService) };
  const storedKey = (window.localStorage.getItem(options.apiKeyStorageKey) || "").trim();
  /* the header editor's authorization wins, so that a key typed there is the one subscriptions present too */
  const editedAuthorization = () => {
    try {
      const headers = JSON.parse(window.localStorage.getItem("graphiql:headers") || "{}");
      return headers.authorization || headers.Authorization || null;
    } catch {
      return null;
    }
  };
  const keyAuthorization = storedKey ? "Bearer " + storedKey : null;
  const renderOptions = Object.assign({}, options.graphiql, {
    headers: keyAuthorization ? JSON.stringify({ authorization: keyAuthorization }, null, 2) : undefined,
    connectionParams: () => {
      const authorization = editedAuthorization() || keyAuthorization;
      return authorization ? { authorization } : {};
    },
  });
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), renderOptions);
})();
`;

interface Asset {
  contentType: string;
  body: Buffer;
  gzipped: Promise<Buffer> | null;
}

const JAVASCRIPT = "text/javascript; charset=utf-8";

function asset(contentType: string, text: string | Buffer): Asset {
  return { contentType, body: Buffer.isBuffer(text) ? text : Buffer.from(text), gzipped: null };
}

function faviconAsset(): Asset {
  const [header, data] = favicon.split(",", 2);
  return asset(/^data:([^;]+)/.exec(header ?? "")?.[1] ?? "image/x-icon", Buffer.from(data ?? "", "base64"));
}

const ASSETS: Record<string, Asset> = {
  "graphiql.js": asset(JAVASCRIPT, js),
  "graphiql.css": asset("text/css; charset=utf-8", css),
  "start.js": asset(JAVASCRIPT, START_SCRIPT),
  "editor.worker.js": asset(JAVASCRIPT, editorWorkerService),
  "json.worker.js": asset(JAVASCRIPT, jsonWorker),
  "graphql.worker.js": asset(JAVASCRIPT, graphqlWorker),
  "favicon.ico": faviconAsset(),
};

/** Changes whenever the bundled GraphiQL or our script does, so the files can be cached for good. */
const VERSION = createHash("sha256")
  .update(js)
  .update(css)
  .update(START_SCRIPT)
  .digest("hex")
  .slice(0, 12);

const ASSET_BASE = `${ASSET_PREFIX}${VERSION}/`;

/** The name of a GraphiQL file the path asks for, or null; only the current version's files are served. */
export function graphiqlAssetRoute(path: string): string | null {
  if (!path.startsWith(ASSET_BASE)) return null;
  const name = path.slice(ASSET_BASE.length);
  return Object.hasOwn(ASSETS, name) ? name : null;
}

const gzipAsync = promisify(gzip);

export async function serveGraphiQLAsset(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = ASSETS[name]!;
  const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = acceptsGzip ? await (file.gzipped ??= gzipAsync(file.body)) : file.body;
  res.writeHead(200, {
    "content-type": file.contentType,
    "content-length": body.length,
    "cache-control": "public, max-age=31536000, immutable",
    vary: "accept-encoding",
    ...(acceptsGzip ? { "content-encoding": "gzip" } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** yoga's renderGraphiQL: the page that loads the files above; its options travel as JSON data, never as script. */
export function renderGraphiQL(options: GraphiQLOptions = {}): string {
  const title = escapeHtml(String(options.title ?? "GraphiQL"));
  const pageOptions = { assetBase: ASSET_BASE, apiKeyStorageKey: DASHBOARD_API_KEY_STORAGE_KEY, graphiql: options };
  // "<" escaped so that no value can close the JSON block
  const json = JSON.stringify(pageOptions).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="${ASSET_BASE}favicon.ico" />
    <link rel="stylesheet" href="${ASSET_BASE}graphiql.css" />
  </head>
  <body class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root" style="height: 100vh"></div>
    <script type="application/json" id="graphiql-options">${json}</script>
    <script src="${ASSET_BASE}graphiql.js"></script>
    <script src="${ASSET_BASE}start.js"></script>
  </body>
</html>
`;
}
