// Calls the engine the way the NestJS orchestrator does: graphql-request over HTTP with an X-API-Key header,
// every operation typed from the engine's schema.graphql by graphql-codegen (codegen.yml), checked by tsc.
// Run by tests/api/test_orchestrator_node_client.py against a real server:
//   ENGINE_URL=http://127.0.0.1:8001/graphql ENGINE_API_KEY=... npm test   (in tests/node)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClientError, GraphQLClient } from 'graphql-request';

import { graphql } from './generated/index.js';
import type { AnalyzeTextMutation, CefrLevel } from './generated/graphql.js';

const ENGINE_URL = process.env.ENGINE_URL;
const ENGINE_API_KEY = process.env.ENGINE_API_KEY;
if (!ENGINE_URL || !ENGINE_API_KEY) {
  throw new Error('set ENGINE_URL (e.g. http://127.0.0.1:8001/graphql) and ENGINE_API_KEY');
}
const engineUrl: string = ENGINE_URL;
const apiKey: string = ENGINE_API_KEY;

const client = (headers: Record<string, string> = {}) => new GraphQLClient(engineUrl, { headers });
const withKey = (key: string = apiKey) => client({ 'X-API-Key': key });

const HEALTH = graphql(`
  query Health {
    health
  }
`);

const SERVICE_INFO = graphql(`
  query ServiceInfo {
    serviceInfo {
      name
      version
      environment
      capabilities {
        transcription { enabled engine model }
        analysis { enabled engine llmProvider }
        cefr { enabled engine }
        pronunciation { enabled engine }
        progress { enabled }
        jobs { enabled queue }
      }
      limits { audioMaxMb audioFormats graphqlMaxDepth rateLimitPerUser }
      cefrThresholds
    }
  }
`);

const ANALYZE_TEXT = graphql(`
  mutation AnalyzeText($input: AnalyzeTextInput!) {
    analyzeText(input: $input) {
      __typename
      ... on TextAnalysis {
        errors { type originalText correctedText startUtf16 endUtf16 }
        cefr {
          level
          score
          probabilities { level probability }
          strengths { label detail examples }
          nextLevelRequirements { label detail examples }
        }
      }
      ... on UserError { code message field }
    }
  }
`);

type Analysis = Extract<AnalyzeTextMutation['analyzeText'], { __typename: 'TextAnalysis' }>;

const LEVELS: readonly CefrLevel[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/** The ClientError a refused request raises, checked the way the orchestrator maps it to its own error. */
async function assertUnauthenticated(request: Promise<unknown>): Promise<void> {
  await assert.rejects(request, (error: unknown) => {
    assert.ok(error instanceof ClientError, `expected a ClientError, got ${String(error)}`);
    assert.equal(error.response.status, 401);
    assert.ok(Array.isArray(error.response.errors), `no GraphQL errors in ${String(error.response.body)}`);
    const [first] = error.response.errors;
    assert.ok(first);
    assert.equal(first.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(first.extensions?.field, 'X-API-Key');
    assert.match(first.message, /API key/);
    return true;
  });
}

describe('orchestrator calling the engine over GraphQL', () => {
  it('health answers "ok" with a valid key', async () => {
    const data = await withKey().request(HEALTH);
    assert.deepEqual(data, { health: 'ok' });
  });

  it('serviceInfo is typed: a version string, each capability switched on or off, the limits', async () => {
    const { serviceInfo } = await withKey().request(SERVICE_INFO);
    assert.match(serviceInfo.version, /^\d+\.\d+/);
    assert.equal(typeof serviceInfo.name, 'string');
    const { capabilities } = serviceInfo;
    for (const capability of [capabilities.transcription, capabilities.analysis, capabilities.cefr,
      capabilities.pronunciation, capabilities.progress, capabilities.jobs]) {
      assert.equal(typeof capability.enabled, 'boolean');
    }
    assert.equal(capabilities.jobs.queue, 'in-process');
    assert.ok(serviceInfo.limits.audioFormats.includes('wav'));
    assert.equal(serviceInfo.limits.graphqlMaxDepth, 12);
    assert.deepEqual(serviceInfo.cefrThresholds, [30, 45, 60, 75, 90]);
  });

  it('analyzeText returns errors and the typed CEFR assessment', async () => {
    const text = 'Last summer I went to London with my family because my sister wanted to see the museums. '
      + 'We stayed in a small hotel near the river, and every morning we was walking to a different park.';
    const { analyzeText } = await withKey().request(ANALYZE_TEXT, {
      input: { text, learner: { userId: 'orchestrator-learner' }, provider: 'OFFLINE' },
    });
    assert.equal(analyzeText.__typename, 'TextAnalysis', JSON.stringify(analyzeText));
    const analysis = analyzeText as Analysis;
    const wrong = analysis.errors.find((e) => e.originalText === 'was');
    assert.ok(wrong, `no error on "was" in ${JSON.stringify(analysis.errors)}`);
    assert.equal(text.slice(wrong.startUtf16, wrong.endUtf16), 'was');

    const { cefr } = analysis;
    assert.ok(cefr, 'CEFR assessment is switched on in this engine');
    assert.ok(LEVELS.includes(cefr.level));
    assert.ok(cefr.score >= 0 && cefr.score <= 100);
    assert.deepEqual(cefr.probabilities.map((p) => p.level), LEVELS);
    const total = cefr.probabilities.reduce((sum, p) => sum + p.probability, 0);
    assert.ok(Math.abs(total - 1) < 0.01, `probabilities add up to ${total}`);
    assert.ok(cefr.strengths.length > 0 && cefr.nextLevelRequirements.length > 0);
    for (const strength of cefr.strengths) {
      assert.ok(strength.label && strength.detail);
      for (const example of strength.examples) {
        assert.ok(text.toLowerCase().includes(example.toLowerCase()), `"${example}" is not the learner's`);
      }
    }
  });

  it('refuses a request without a key: ClientError, HTTP 401, UNAUTHENTICATED', async () => {
    await assertUnauthenticated(client().request(HEALTH));
  });

  it('refuses a request with a wrong key the same way', async () => {
    await assertUnauthenticated(withKey(`${apiKey}-wrong`).request(HEALTH));
  });
});
