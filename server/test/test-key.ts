import { CSRF_HEADER } from "../src/contracts/http.js";

/** The key every test app accepts as admin (ADMIN_API_KEY). */
export const TEST_ADMIN_KEY = "lsk_test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz";

/** What a test's requests present: the admin key, and the CSRF header multipart posts need. */
export const TEST_HEADERS: Record<string, string> = { authorization: `Bearer ${TEST_ADMIN_KEY}`, [CSRF_HEADER]: "1" };
