Feature: The engine is safe to call and says how it is doing
  The orchestrator checks that the engine is alive before sending learners' work,
  and every call it makes carries the API key it was given.

  Scenario: The engine reports that it is alive without a key
    Given the engine is running
    When a monitor asks whether the engine is alive
    Then the engine answers that it is ok

  Scenario: The engine reports each of its parts when asked whether it is ready
    Given the engine is running
    When a monitor asks whether the engine is ready
    Then the engine answers that it is ready
    And the answer lists the database and the disk cache as up

  Scenario: A call without a key is refused with a clear reason
    Given the engine is running
    When the orchestrator calls the engine without an API key
    Then the call is refused as unauthenticated
    And the refusal names the X-API-Key header

  Scenario: A call with a valid key is answered
    Given the engine is running
    When the orchestrator asks for the engine's health with its API key
    Then the engine answers "ok"
