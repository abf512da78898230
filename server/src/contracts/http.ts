/*
 * What every client of the API's HTTP endpoint agrees on with the server (the dashboard, the sidecar, scripts).
 */

/** The header a browser page can send only after a CORS preflight: required on any GraphQL POST that is not JSON. */
export const CSRF_HEADER = "x-graphql-yoga-csrf";
