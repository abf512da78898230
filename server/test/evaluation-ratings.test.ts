import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedJob, uploadVersion } from "./evaluation-suite.js";
import { startTestApp, type TestApp } from "./harness.js";

/*
 * Ratings (issue 11, item 5): one per sample and rater, changeable and shown back; the rater is the API key presented,
 * else the id the browser keeps. An adapter's aggregates count each sample's current ratings once, and only samples of
 * jobs that used it alone.
 */

const RATE = `mutation ($sampleId: ID!, $score: Int!, $raterId: String) {
  rateSample(sampleId: $sampleId, score: $score, raterId: $raterId) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on RateSampleSuccess { rating { score } sample { averageRating ratingCount } }
  }
}`;

const MINE = `query ($id: ID!, $raterId: String) { sample(id: $id) { averageRating ratingCount myRating(raterId: $raterId) } }`;
const ADAPTER = `query ($id: ID!) { adapter(id: $id) { averageRating ratingCount } }`;

/** A GraphQL request presenting this key, or none (null). */
async function gqlAs(app: TestApp, secret: string | null, query: string, variables: Record<string, unknown>) {
  const { authorization: _admin, ...headers } = app.headers;
  const response = await fetch(`${app.url}/graphql`, {
    method: "POST",
    headers: { ...headers, ...(secret ? { authorization: `Bearer ${secret}` } : {}), "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: any; errors?: unknown[] };
}

describe("ratings with API keys: one per sample and key", () => {
  let app: TestApp;
  let adapter: string;
  let partner: string;
  let sample: string;
  let stackedSample: string;
  let writer: string;

  beforeAll(async () => {
    app = await startTestApp();
    adapter = await uploadVersion(app, "rated", "1", 1);
    partner = await uploadVersion(app, "partner", "1", 2);
    sample = (await storedJob(app, [adapter], [null], 0.5))[0]!;
    stackedSample = (await storedJob(app, [adapter, partner], [2], 0.5))[0]!;
    const created = await app.gql(`mutation { createApiKey(input: { name: "second judge", scopes: [WRITE] }) { ... on CreateApiKeySuccess { secret } } }`);
    writer = created.data.createApiKey.secret;
  });
  afterAll(async () => app?.close());

  it("changes the key's rating instead of adding one, shows it back, and counts it once for the adapter", async () => {
    expect((await app.gql(RATE, { sampleId: sample, score: 4 })).data.rateSample).toMatchObject({ rating: { score: 4 }, sample: { ratingCount: 1, averageRating: 4 } });
    expect((await app.gql(RATE, { sampleId: sample, score: 5 })).data.rateSample).toMatchObject({ rating: { score: 5 }, sample: { ratingCount: 1, averageRating: 5 } });
    expect((await app.gql(MINE, { id: sample })).data.sample).toEqual({ averageRating: 5, ratingCount: 1, myRating: 5 });
    expect((await app.gql(ADAPTER, { id: adapter })).data.adapter).toEqual({ averageRating: 5, ratingCount: 1 });

    expect((await gqlAs(app, writer, MINE, { id: sample })).data.sample.myRating).toBeNull();
    expect((await gqlAs(app, writer, RATE, { sampleId: sample, score: 2, raterId: "ignored-with-a-key" })).data.rateSample.sample).toEqual({ ratingCount: 2, averageRating: 3.5 });
    expect((await gqlAs(app, writer, MINE, { id: sample })).data.sample.myRating).toBe(2);
    expect((await app.gql(MINE, { id: sample })).data.sample.myRating).toBe(5);
    expect((await app.gql(ADAPTER, { id: adapter })).data.adapter).toEqual({ averageRating: 3.5, ratingCount: 2 });
  });

  it("leaves the adapters' aggregates alone when the rated sample's job stacked several adapters", async () => {
    expect((await app.gql(RATE, { sampleId: stackedSample, score: 5 })).data.rateSample.sample).toEqual({ ratingCount: 2, averageRating: 3.5 });
    expect((await app.gql(ADAPTER, { id: adapter })).data.adapter).toEqual({ averageRating: 3.5, ratingCount: 2 });
    expect((await app.gql(ADAPTER, { id: partner })).data.adapter).toEqual({ averageRating: null, ratingCount: 0 });
  });

  it("refuses a bad score or an unknown sample, changing nothing", async () => {
    expect((await app.gql(RATE, { sampleId: sample, score: 6 })).data.rateSample).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "score" }] });
    expect((await app.gql(RATE, { sampleId: "missing", score: 3 })).data.rateSample).toMatchObject({ code: "NOT_FOUND" });
    expect((await app.gql(MINE, { id: sample })).data.sample).toEqual({ averageRating: 3.5, ratingCount: 2, myRating: 5 });
  });

  it("does not let a sample of an open A/B test be rated or read", async () => {
    const test = await app.deps.db.prisma.abTest.create({ data: { name: "open", adapterAId: adapter, weightA: 1, baseModelId: "tunes-s", prompts: ["a"], trialsPerPrompt: 1, seed: 1, status: "READY" } });
    const [hidden] = await storedJob(app, [adapter], [null], 0.5, test.id);
    expect((await app.gql(RATE, { sampleId: hidden, score: 3 })).data.rateSample).toMatchObject({ code: "NOT_FOUND" });
    expect((await app.gql(MINE, { id: hidden })).data.sample).toBeNull();
  });
});

describe("ratings without keys: the browser's own rater id", () => {
  let app: TestApp;
  let sample: string;
  let adapter: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH: "off" } });
    adapter = await uploadVersion(app, "rated", "1", 1);
    sample = (await storedJob(app, [adapter], [null], 0.5))[0]!;
  });
  afterAll(async () => app?.close());

  const anonymous = (query: string, variables: Record<string, unknown>) => gqlAs(app, null, query, variables);

  it("needs a raterId, keeps one rating per browser and shows each browser its own", async () => {
    expect((await anonymous(RATE, { sampleId: sample, score: 4 })).data.rateSample).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "raterId" }] });
    expect((await anonymous(RATE, { sampleId: sample, score: 4, raterId: "no" })).data.rateSample).toMatchObject({ code: "BAD_USER_INPUT", fieldErrors: [{ field: "raterId" }] });
    expect((await anonymous(MINE, { id: sample })).data.sample).toEqual({ averageRating: null, ratingCount: 0, myRating: null });

    const browser = "4f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    await anonymous(RATE, { sampleId: sample, score: 2, raterId: browser });
    expect((await anonymous(RATE, { sampleId: sample, score: 5, raterId: browser })).data.rateSample.sample).toEqual({ ratingCount: 1, averageRating: 5 });
    expect((await anonymous(RATE, { sampleId: sample, score: 3, raterId: "another-browser" })).data.rateSample.sample).toEqual({ ratingCount: 2, averageRating: 4 });
    expect((await anonymous(MINE, { id: sample, raterId: browser })).data.sample.myRating).toBe(5);
    expect((await anonymous(MINE, { id: sample, raterId: "another-browser" })).data.sample.myRating).toBe(3);
    expect((await anonymous(MINE, { id: sample, raterId: "a-third-browser" })).data.sample.myRating).toBeNull();
    expect((await anonymous(ADAPTER, { id: adapter })).data.adapter).toEqual({ averageRating: 4, ratingCount: 2 });
  });
});
