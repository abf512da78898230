/** The test projects; vitest 4 reads them through vitest.config.ts (test.projects). */
export default ["server", "client", "client/e2e"];
