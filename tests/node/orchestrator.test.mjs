// Calls the engine the way the NestJS orchestrator does: graphql-request over HTTP with an X-API-Key header.
// Run by tests/api/test_orchestrator_node_client.py against a real server:
//   ENGINE_URL=http://127.0.0.1:8001/graphql ENGINE_API_KEY=... node --test tests/node/
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClientError, GraphQLClient, gql } from 'graphql-request';

const ENGINE_URL = process.env.ENGINE_URL;
const ENGINE_API_KEY = process.env.ENGINE_API_KEY;
if (!ENGINE_URL || !ENGINE_API_KEY) {
  throw new Error('set ENGINE_URL (e.g. http://127.0.0.1:8001/graphql) and ENGINE_API_KEY');
}

const client = (headers = {}) => new GraphQLClient(ENGINE_URL, { headers });
const withKey = (key = ENGINE_API_KEY) => client({ 'X-API-Key': key });

const HEALTH = gql`
  query Health {
    health
  }
`;
const SERVICE_INFO = gql`
  query ServiceInfo {
    serviceInfo
  }
`;

/** The ClientError a refused request raises, checked the way the orchestrator maps it to its own error. */
async function assertUnauthenticated(request) {
  await assert.rejects(request, (error) => {
    assert.ok(error instanceof ClientError, `expected a ClientError, got ${error?.constructor?.name}: ${error}`);
    assert.equal(error.response.status, 401);
    assert.ok(Array.isArray(error.response.errors), `no GraphQL errors in ${error.response.body}`);
    const [first] = error.response.errors;
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

  it('serviceInfo has a version string and the capabilities', async () => {
    const { serviceInfo } = await withKey().request(SERVICE_INFO);
    assert.equal(typeof serviceInfo, 'object');
    assert.ok(serviceInfo !== null);
    assert.equal(typeof serviceInfo.version, 'string');
    assert.match(serviceInfo.version, /^\d+\.\d+/);
    assert.equal(typeof serviceInfo.name, 'string');
    assert.equal(typeof serviceInfo.capabilities, 'object');
    for (const capability of ['transcription', 'analysis', 'cefr', 'pronunciation', 'progress', 'jobs']) {
      assert.equal(typeof serviceInfo.capabilities[capability]?.enabled, 'boolean', `capability ${capability}`);
    }
    assert.equal(typeof serviceInfo.limits, 'object');
  });

  it('refuses a request without a key: ClientError, HTTP 401, UNAUTHENTICATED', async () => {
    await assertUnauthenticated(client().request(HEALTH));
  });

  it('refuses a request with a wrong key the same way', async () => {
    await assertUnauthenticated(withKey(`${ENGINE_API_KEY}-wrong`).request(HEALTH));
  });
});
