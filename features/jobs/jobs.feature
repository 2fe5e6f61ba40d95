Feature: Long work runs in the background
  A learner's long recording should not keep the orchestrator waiting: the engine accepts it at once,
  works on it in the background, and the result is there to read when it is done.

  Scenario: A long recording is accepted at once and its result arrives later
    Given the engine is running with its speech model
    When the orchestrator sends a learner's recording to be transcribed in the background
    Then the engine answers at once with a job that is not finished yet
    And later the job has succeeded with a timed word list

  Scenario: Sending the same recording twice with the same key starts one job only
    Given the engine is running with its speech model
    When the orchestrator sends a learner's recording with the key "session-12-answer-3"
    And the orchestrator sends it again with the key "session-12-answer-3"
    Then both answers name the same job
    And the learner has exactly one job
